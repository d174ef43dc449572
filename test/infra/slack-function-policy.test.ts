import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AUDIT_ITEM_ATTRIBUTES,
  auditToItem,
  grantPartition,
  refusalPartition,
  requestKey,
  tupleKey,
  utcDay,
} from "../../src/adapters/dynamodb/marshalling.js";
import {
  DUE_AT_ATTRIBUTE,
  DUE_SHARD_ATTRIBUTE,
  PARTITION_KEY,
  REQUESTER_ATTRIBUTE,
} from "../../src/adapters/dynamodb/table.js";
import type { AuditEvent } from "../../src/domain/grant.js";
import {
  idsIn,
  list,
  type StackIds,
  type Statement,
  SYNTH_TIMEOUT_MS,
  statementsIn,
  synth,
} from "../support/stack-fixtures.js";

/** IAM's StringLike: `*` is any run of characters, `?` any one; everything else is itself. */
function stringLike(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * The public Slack function verifies Slack's signature, answers at ack and hands the request on, signed, to the
 * worker: its role holds only what that path calls.
 */
describe("the Slack function's role", () => {
  let template: Template;
  let ids: StackIds;
  let statements: Statement[];

  beforeAll(() => {
    ({ template } = synth());
    ids = idsIn(template);
    statements = statementsIn(template, ids.slack);
  }, SYNTH_TIMEOUT_MS);

  it("may read its secret, invoke the worker, write its logs and put items, and nothing else", () => {
    const actions = [...new Set(statements.flatMap((s) => list(s.Action)))].sort();
    expect(actions).toEqual([
      "dynamodb:PutItem",
      "lambda:InvokeFunction",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
    ]);
  });

  it("puts items on the grants table itself only, and only in partitions of refusals without a grant", () => {
    const writes = statements.filter((s) => list(s.Action).some((a) => a.startsWith("dynamodb:")));
    expect(writes).toEqual([
      {
        Sid: "WriteOwnPartitionsOnly",
        Effect: "Allow",
        Action: "dynamodb:PutItem",
        Resource: { "Fn::GetAtt": [expect.stringMatching(/^Grants[0-9A-F]+$/), "Arn"] },
        Condition: {
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["REFUSAL#*"] },
          "ForAllValues:StringEquals": { "dynamodb:Attributes": [...AUDIT_ITEM_ATTRIBUTES] },
        },
      },
    ]);
  });

  it("lets a refusal item's attributes through, and none that would put an item in the due or requester index", () => {
    const at = Date.UTC(2026, 11, 1, 9, 30);
    const event: AuditEvent = {
      at,
      actor: "U0OTHER",
      type: "refused",
      reason: "another team",
      status: "pending",
      detail: { team: "T2" },
    };
    const about = { event, requester: "dev@example.com", account: "prod", permissionSet: "readonly" };
    const item = auditToItem(event, refusalPartition(utcDay(at)), 0, about);
    expect(Object.keys(item).filter((name) => !AUDIT_ITEM_ATTRIBUTES.includes(name))).toEqual([]);
    for (const name of [DUE_SHARD_ATTRIBUTE, DUE_AT_ATTRIBUTE, REQUESTER_ATTRIBUTE]) {
      expect(AUDIT_ITEM_ATTRIBUTES).not.toContain(name);
    }
  });

  it("lets the partition key of a refusal without a grant through, and no grant's, request's or tuple's", () => {
    const [write] = statements.filter((s) => list(s.Action).includes("dynamodb:PutItem"));
    const condition = write?.Condition as Record<string, Record<string, string | string[]>> | undefined;
    const patterns = list(condition?.["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"] ?? []).map(
      stringLike,
    );
    const allowed = (key: string) => patterns.some((pattern) => pattern.test(key));
    expect(allowed(refusalPartition(utcDay(Date.UTC(2026, 11, 31, 23, 59))))).toBe(true);
    expect(allowed(grantPartition("k7m2x9qa"))).toBe(false);
    expect(allowed(String(requestKey("r-k7m2x9qa")[PARTITION_KEY]?.S))).toBe(false);
    const tuple = tupleKey({
      userId: "u-1",
      accountId: "222222222222",
      permissionSetArn: "arn:aws:sso:::ps",
    });
    expect(allowed(String(tuple[PARTITION_KEY]?.S))).toBe(false);
  });

  it("gives the Slack function no Identity Center, schedule or role-passing action", () => {
    const actions = statements.flatMap((s) => list(s.Action));
    expect(actions.filter((a) => /^(sso|identitystore|scheduler|iam):/.test(a))).toEqual([]);
  });
});

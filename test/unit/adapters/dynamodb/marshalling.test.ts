import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  auditToItem,
  fromItem,
  grantIdsOf,
  grantToItem,
  type Item,
  itemToAuditEntry,
  itemToGrant,
  itemToNotice,
  itemToTuple,
  noticeToItem,
  requestToItem,
  toItem,
  tupleToItem,
} from "../../../../src/adapters/dynamodb/marshalling.js";
import { SORT_KEY } from "../../../../src/adapters/dynamodb/table.js";
import type { Lease, Notice } from "../../../../src/app/ports.js";
import type { AssignmentTuple, AuditEvent, Grant } from "../../../../src/domain/grant.js";

/** Items exactly as the hand-written codec before `@aws-sdk/util-dynamodb` wrote them: tables in use hold these. */
const stored = JSON.parse(
  readFileSync(new URL("../../../fixtures/dynamodb-items.json", import.meta.url), "utf8"),
) as Record<"grant" | "tuple" | "audit" | "notice" | "request" | "lease", Item>;

const grant = {
  id: "7f3a9c01",
  version: 6,
  status: "active",
  requester: { slackId: "U0REQUESTER", email: "dev@example.com", userId: "user-requester" },
  account: { id: "222222222222", alias: "prod", name: "Production" },
  permissionSet: {
    arn: "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111",
    name: "ReadOnly",
  },
  rule: "prod-readonly",
  reason: "fixing INC-123 & <friends>",
  durationSeconds: 3600,
  approvalsRequired: 2,
  allowSelfApproval: false,
  approvals: [
    { slackId: "U0APPROVER1", email: "lead@example.com", at: 1894698060000 },
    { slackId: "U0APPROVER2", email: "sec@example.com", at: 1894698120000 },
  ],
  createdAt: 1894698000000,
  timeoutAt: 1894705200000,
  decidedAt: 1894698120000,
  decidedBy: "U0APPROVER2",
  activatedAt: 1894698180500,
  expiresAt: 1894701780500,
  dueAt: 1894701180500,
  reminded: false,
  preExisting: false,
  attempts: 0,
  message: { channel: "C0APPROVALS", ts: "1894698000.000100" },
  createRequestId: "b7c1e2d3-0000-4000-8000-000000000001",
  op: { kind: "creation", startedAt: 1894698120100, requestId: "b7c1e2d3-0000-4000-8000-000000000001" },
  trouble: { code: "throttled", since: 1894698130000 },
  extension: {
    id: "ext-1",
    by: "U0REQUESTER",
    addSeconds: 1800,
    requestedAt: 1894700000000,
    required: 1,
    approvals: [],
    status: "pending",
    message: { channel: "C0APPROVALS", ts: "1894700000.000200" },
  },
} satisfies Grant;

const tuple = {
  target: {
    userId: "user-requester",
    accountId: "222222222222",
    permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111",
  },
  state: "present",
  holders: ["7f3a9c01", "0b1c2d3e"],
  preExisting: false,
  lease: { grantId: "7f3a9c01", until: 1894698240000 },
  version: 4,
} satisfies AssignmentTuple;

const audit = {
  grantId: "7f3a9c01",
  at: 1894698180500,
  actor: "system",
  type: "activated",
  reason: "assignment created",
  status: "active",
  detail: { requestId: "b7c1e2d3-0000-4000-8000-000000000001", attempts: 2, preExisting: false },
} satisfies AuditEvent;
const about = { requester: "dev@example.com", account: "prod", permissionSet: "ReadOnly" };

const notice = {
  id: "7f3a9c01#6#0",
  grantId: "7f3a9c01",
  grant,
  body: { kind: "audit", channel: "C0AUDIT", event: audit },
  createdAt: 1894698180500,
  state: "pending",
  dueAt: 1894698180500,
  attempts: 1,
  lastError: "slack: ratelimited",
  version: 2,
} satisfies Notice;

const lease = {
  name: "expiry-sweep",
  holder: "host-a#4242",
  until: 1894698240000,
  horizon: 1894698210000,
  closing: false,
  version: 17,
} satisfies Lease;

describe("DynamoDB items", () => {
  it.each([
    {
      what: "a grant with approvals, an operation, an extension and trouble",
      item: stored.grant,
      read: itemToGrant,
      value: grant,
    },
    { what: "an assignment tuple", item: stored.tuple, read: itemToTuple, value: tuple },
    {
      what: "a notice carrying its grant and an audit event",
      item: stored.notice,
      read: itemToNotice,
      value: notice,
    },
    { what: "a lease", item: stored.lease, read: fromItem, value: lease },
  ])("reads $what written by the earlier codec as the same object", ({ item, read, value }) => {
    expect(read(item)).toStrictEqual(value);
  });

  it("reads an audit item written by the earlier codec as the same event and index values", () => {
    expect(itemToAuditEntry(stored.audit)).toStrictEqual({ event: audit, ...about });
  });

  it("writes grants, tuples, notices, requests and leases as the same attribute values as the earlier codec", () => {
    expect(grantToItem(grant, "tok-1")).toStrictEqual(stored.grant);
    expect(tupleToItem(tuple)).toStrictEqual(stored.tuple);
    expect(noticeToItem(notice, 1894698180500)).toStrictEqual(stored.notice);
    expect(requestToItem("r-1", ["7f3a9c01", "0b1c2d3e"], 1894698000000)).toStrictEqual(stored.request);
    expect(grantIdsOf(stored.request)).toEqual(["7f3a9c01", "0b1c2d3e"]);
    expect(toItem({ ...lease })).toStrictEqual(stored.lease);
  });

  it("writes an audit event as the earlier codec did, with a fresh sort key in the same format", () => {
    const { [SORT_KEY]: sortKey, ...written } = auditToItem(audit, "GRANT#7f3a9c01", 3, {
      event: audit,
      ...about,
    });
    const { [SORT_KEY]: _storedSortKey, ...expected } = stored.audit;
    expect(written).toStrictEqual(expected);
    expect(sortKey?.S).toMatch(/^AUDIT#001894698180500#0003#[0-9a-f]{4}$/);
  });

  it("leaves undefined fields out and keeps empty lists, empty maps and nulls", () => {
    expect(grantToItem({ ...grant, outcomeReason: undefined }, "tok-1")).toStrictEqual(stored.grant);
    expect(
      toItem({ gone: undefined, list: [], map: {}, nested: { gone: undefined, none: null } }),
    ).toStrictEqual({
      list: { L: [] },
      map: { M: {} },
      nested: { M: { none: { NULL: true } } },
    });
  });

  it("reads and writes numbers as JavaScript numbers, beyond 2^53 too", () => {
    expect(toItem({ big: 2 ** 60, half: 0.5, negative: -3 })).toStrictEqual({
      big: { N: String(2 ** 60) },
      half: { N: "0.5" },
      negative: { N: "-3" },
    });
    expect(fromItem({ big: { N: "12345678901234567890" }, half: { N: "0.5" } })).toStrictEqual({
      big: Number("12345678901234567890"),
      half: 0.5,
    });
  });
});

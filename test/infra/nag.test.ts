import { Validations } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import type { AwsAccessStack } from "../../infra/stack.js";
import { SYNTH_TIMEOUT_MS, synth } from "../support/stack-fixtures.js";

type Finding = { rule: string; path: string };

/** Every finding of the two packs as `rule @ construct path`, acknowledged or not. */
function findings(stack: AwsAccessStack, options: { ignoreAcknowledgements: boolean }): Finding[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new ServerlessChecks()];
  return packs.flatMap((pack) => {
    if (options.ignoreAcknowledgements) {
      const own = pack as unknown as { isAcknowledged?: unknown };
      if (typeof own.isAcknowledged !== "function")
        throw new Error("cdk-nag no longer checks acknowledgements here");
      own.isAcknowledged = () => false;
    }
    return pack.validateScope(stack).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        rule: violation.ruleName,
        path: resource.constructPath ?? "",
      })),
    );
  });
}

/** cdk-nag's AwsSolutions and Serverless packs (pinned in package.json), as `cdk synth` runs them. */
describe("AwsAccessStack under cdk-nag", () => {
  let stack: AwsAccessStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synth({ alarmEmail: "oncall@example.com" }, { nag: true }));
  }, SYNTH_TIMEOUT_MS);

  it("synthesizes with no error or warning that is not acknowledged", () => {
    expect(findings(stack, { ignoreAcknowledgements: false })).toEqual([]);
  });

  it("acknowledges each finding on its own resource with a reason, and nothing the packs do not find", () => {
    const acknowledged = acknowledgementsOn(stack);
    const found = findings(stack, { ignoreAcknowledgements: true });
    const covering = (finding: Finding) =>
      acknowledged.filter((a) => a.id === finding.rule && `${finding.path}/`.startsWith(`${a.path}/`));
    expect(found.filter((finding) => covering(finding).length !== 1)).toEqual([]);
    const used = acknowledged.filter((a) => found.some((finding) => covering(finding).includes(a)));
    expect(acknowledged.filter((a) => !used.includes(a))).toEqual([]);
    for (const a of acknowledged) expect(a.reason.length).toBeGreaterThan(40);
  });

  it("refuses requests without TLS to the dead-letter queue and the alarm topic", () => {
    const denyPlainText = {
      Effect: "Deny",
      Action: expect.anything(),
      Principal: expect.anything(),
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
    for (const type of ["AWS::SQS::QueuePolicy", "AWS::SNS::TopicPolicy"]) {
      const policies = Object.values(template.findResources(type)) as PolicyResource[];
      expect(policies).toHaveLength(1);
      expect(policies[0]?.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining(denyPlainText),
      );
    }
  });

  it("still lets this account's CloudWatch alarms publish to the alarm topic", () => {
    const [policy] = Object.values(template.findResources("AWS::SNS::TopicPolicy")) as PolicyResource[];
    const topicId = Object.keys(template.findResources("AWS::SNS::Topic"))[0];
    const publish = policy?.Properties.PolicyDocument.Statement.filter(
      (s) => s.Effect === "Allow" && JSON.stringify(s.Principal).includes("cloudwatch.amazonaws.com"),
    );
    expect(publish).toEqual([
      expect.objectContaining({
        Action: "sns:Publish",
        Resource: { Ref: topicId },
        Condition: {
          StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
          ArnLike: { "aws:SourceArn": expect.objectContaining({ "Fn::Join": expect.anything() }) },
        },
      }),
    ]);
    expect(JSON.stringify(publish)).toContain(":cloudwatch:");
    expect(JSON.stringify(publish)).toContain(":alarm:*");
  });
});

interface PolicyResource {
  Properties: {
    PolicyDocument: { Statement: Array<{ Effect: string; Principal?: unknown; Action: unknown }> };
  };
}

/** Acknowledgements as CDK records them on constructs (Validations metadata), with the construct's path. */
function acknowledgementsOn(stack: AwsAccessStack): Array<{ id: string; path: string; reason: string }> {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ""),
          path: construct.node.path,
          reason,
        })),
      ),
  );
}

import { GetGroupIdCommand, GetUserIdCommand, IdentitystoreClient } from "@aws-sdk/client-identitystore";
import {
  DescribePermissionSetCommand,
  ListInstancesCommand,
  SSOAdminClient,
} from "@aws-sdk/client-sso-admin";
import { createSlackClient } from "../adapters/slack/client.js";
import type { Logger } from "../app/ports.js";
import { groupNamesIn } from "../domain/policy.js";
import type { AwsParts, Env } from "./runtime.js";

interface Finding {
  ok: boolean;
  what: string;
}

/** Checks the config against Identity Center and Slack; prints one line per check and exits 1 on any problem. */
export async function runDoctor(aws: AwsParts, env: Env, _log: Logger): Promise<number> {
  const findings: Finding[] = [];
  const note = (ok: boolean, what: string) => findings.push({ ok, what });
  const { config } = aws;
  note(
    true,
    `config ${env.configPath}: ${Object.keys(config.accounts).length} accounts, ${Object.keys(config.permissionSets).length} permission sets, ${config.rules.length} rules`,
  );

  const sso = new SSOAdminClient({});
  const store = new IdentitystoreClient({});
  let instanceArn = config.identityCenter.instanceArn;
  let identityStoreId = config.identityCenter.identityStoreId;
  try {
    const instances = (await sso.send(new ListInstancesCommand({}))).Instances ?? [];
    const match = instances.find((i) => !instanceArn || i.InstanceArn === instanceArn);
    if (!match) {
      note(
        false,
        `Identity Center instance ${instanceArn ?? "(any)"} not found among ${instances.length} instance(s)`,
      );
    } else {
      instanceArn = match.InstanceArn;
      identityStoreId = identityStoreId ?? match.IdentityStoreId;
      note(true, `Identity Center instance ${instanceArn}, identity store ${identityStoreId}`);
    }
  } catch (error) {
    note(false, `Identity Center not reachable: ${message(error)}`);
  }

  if (instanceArn) {
    for (const [name, arn] of Object.entries(config.permissionSets)) {
      try {
        const found = await sso.send(
          new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
        );
        const actual = found.PermissionSet?.Name;
        note(
          true,
          `permission set ${name}: ${arn}${actual && actual !== name ? ` (named ${actual} in Identity Center)` : ""}`,
        );
      } catch (error) {
        note(false, `permission set ${name}: ${arn}: ${message(error)}`);
      }
    }
  }
  if (identityStoreId) {
    for (const group of groupNamesIn(config)) {
      try {
        await store.send(
          new GetGroupIdCommand({
            IdentityStoreId: identityStoreId,
            AlternateIdentifier: { UniqueAttribute: { AttributePath: "displayName", AttributeValue: group } },
          }),
        );
        note(true, `group "${group}" exists`);
      } catch (error) {
        note(false, `group "${group}": ${message(error)}`);
      }
    }
    for (const email of emailsIn(config.rules)) {
      try {
        await store.send(
          new GetUserIdCommand({
            IdentityStoreId: identityStoreId,
            AlternateIdentifier: {
              UniqueAttribute: { AttributePath: "emails.value", AttributeValue: email },
            },
          }),
        );
        note(true, `user ${email} exists`);
      } catch (error) {
        note(false, `user ${email}: ${message(error)}`);
      }
    }
  }

  if (env.botToken) {
    try {
      const slack = createSlackClient(env.botToken, env.slackApiUrl);
      const auth = await slack.auth.test();
      note(true, `Slack: signed in to ${auth.team ?? "workspace"} as ${auth.user ?? "bot"}`);
    } catch (error) {
      note(false, `Slack: ${message(error)}`);
    }
  } else {
    note(false, "Slack: SLACK_BOT_TOKEN is not set");
  }
  if (!env.signingSecret && !env.appToken) note(false, "Slack: SLACK_SIGNING_SECRET is not set");

  for (const finding of findings) console.log(`${finding.ok ? "ok  " : "FAIL"} ${finding.what}`);
  const failed = findings.filter((f) => !f.ok).length;
  console.log(`${findings.length - failed} ok, ${failed} problem(s)`);
  return failed === 0 ? 0 : 1;
}

function emailsIn(rules: AwsParts["config"]["rules"]): string[] {
  const emails = rules.flatMap((rule) => [
    ...(rule.requesters?.emails ?? []),
    ...(rule.approvers?.emails ?? []),
  ]);
  return [...new Set(emails.map((e) => e.toLowerCase()))];
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

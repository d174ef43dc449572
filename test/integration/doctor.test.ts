import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IdentityCenterAdapter } from "../../src/adapters/identity-center/index.js";
import { createSlackClient } from "../../src/adapters/slack/client.js";
import type { AccessConfig } from "../../src/domain/config.js";
import { type DoctorParts, manifestBotScopes, runDoctor } from "../../src/entrypoints/doctor.js";
import { DEFAULT_INSTANCE } from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { PEOPLE } from "../support/app-harness.js";
import { plainLines, runCli } from "../support/cli-run.js";
import { e2eSeed } from "../support/e2e.js";
import {
  ADMIN,
  AS_IN_DESIGN,
  exampleConfig,
  exampleConfigYaml,
  exampleRule,
  READ_ONLY,
} from "../support/example-config.js";
import { type RunningSimulator, startSimulator } from "../support/ic.js";

const MISSING_SET = "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-9999999999999999";
const LONG_SESSION =
  "WARN permission set AdministratorAccess (offered by prod-admin): sessions last up to 8h (PT8H), longer than 1h and rule prod-admin's maxDuration of 4h";

/** doctor against the Identity Center simulator (real SDK clients, the bot's adapter) and the fake Slack. */
describe("doctor", () => {
  const slack = new FakeSlack({
    users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email })),
  });
  const dir = mkdtempSync(join(tmpdir(), "aws-access-doctor-"));
  const closers: Array<() => Promise<void>> = [];
  let ic: RunningSimulator;
  let apiUrl = "";
  let scopes: string[] = [];

  beforeAll(async () => {
    const seed = e2eSeed();
    seed.permissionSets = [
      { arn: READ_ONLY, name: "ReadOnly", sessionDuration: "PT1H" },
      { arn: ADMIN, name: "AdministratorAccess", sessionDuration: "PT8H" },
    ];
    ic = await startSimulator({ seed });
    closers.push(() => ic.close());
    const api = await slack.start();
    closers.push(() => api.close());
    apiUrl = api.apiUrl;
    scopes = (await manifestBotScopes()) ?? [];
  });

  afterAll(async () => {
    for (const close of closers) await close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    slack.scopes = [...scopes];
    slack.notMemberOf.clear();
    ic.sim.setFaults({ refusals: [] });
  });

  /** Runs doctor in this process as the CLI builds it: no identity store id given to the adapter. */
  async function doctor(overrides: Partial<AccessConfig> = {}, parts: Partial<DoctorParts> = {}) {
    const config = exampleConfig({ ...AS_IN_DESIGN, ...overrides });
    const identity = new IdentityCenterAdapter({
      ssoAdmin: ic.ssoAdmin,
      identityStore: ic.identityStore,
      instanceArn: DEFAULT_INSTANCE.instanceArn,
      retry: { baseMs: 5, maxMs: 20 },
    });
    const lines: string[] = [];
    const code = await runDoctor(
      {
        config,
        configPath: "access.yml",
        identity,
        slack: createSlackClient("xoxb-doctor", apiUrl),
        slackReceiverSet: true,
        manifestScopes: scopes,
        ...parts,
      },
      (line) => lines.push(line),
    );
    return { code, lines, problems: lines.filter((line) => line.startsWith("FAIL")) };
  }

  it("passes a matching config, warning about a permission set whose sessions outlast the rules", async () => {
    const run = await doctor();
    expect(run.problems).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.lines).toEqual(
      expect.arrayContaining([
        `ok   Identity Center instance ${DEFAULT_INSTANCE.instanceArn}, identity store ${DEFAULT_INSTANCE.identityStoreId}`,
        `ok   permission set ReadOnly: ${READ_ONLY}`,
        "ok   permission set ReadOnly: sessions last at most 1h (PT1H)",
        `ok   permission set AdministratorAccess: ${ADMIN}`,
        'ok   group "Engineers" exists',
        'ok   group "Organization Administrators" exists',
        "ok   user security-lead@example.com exists",
        "ok   Slack: signed in to Sandbox as aws-access",
        "ok   Slack: the token has every scope manifest.yml asks for",
        "ok   Slack: the bot is in #c0approvals C0APPROVALS (the approval channel)",
        "ok   Slack: the bot is in #c0prodadmin C0PRODADMIN (rule prod-admin's channel)",
        "ok   Slack: the bot is in #c0audit C0AUDIT (the audit channel)",
      ]),
    );
    const warning = run.lines.find((line) => line.startsWith("WARN"));
    expect(warning).toContain(LONG_SESSION);
    expect(warning).toContain("Permission sets > AdministratorAccess > Edit > Session duration");
    expect(run.lines.at(-1)).toBe("13 ok, 1 warning(s), 0 problem(s)");
  });

  it("reads session durations through the adapter's retries when Identity Center throttles", async () => {
    ic.sim.setFaults({
      refusals: [{ operation: "DescribePermissionSet", error: "ThrottlingException", times: 3 }],
    });
    const before = ic.sim.calls().length;
    const run = await doctor();
    expect(run.code).toBe(0);
    expect(run.lines.some((line) => line.startsWith(LONG_SESSION))).toBe(true);
    const describes = ic.sim
      .calls()
      .slice(before)
      .filter((c) => c.operation === "DescribePermissionSet");
    expect(describes.filter((c) => c.outcome !== "ok")).toHaveLength(3);
  });

  it("fails on a token without a scope of the manifest and on a channel the bot is not in", async () => {
    slack.scopes = scopes.filter((scope) => scope !== "users:read.email");
    slack.notMemberOf.add("C0AUDIT");
    const run = await doctor();
    expect(run.code).toBe(1);
    expect(run.problems).toEqual([
      "FAIL Slack: the token lacks users:read.email, which manifest.yml asks for: add them under OAuth & Permissions and reinstall the app",
      "FAIL Slack: the bot is not in #c0audit C0AUDIT (the audit channel): invite it there (/invite @aws-access)",
    ]);
  });

  it("fails when the configured identity store is not the instance's, and checks nothing after it", async () => {
    const identityCenter = { ...exampleConfig().identityCenter, identityStoreId: "d-0000000000" };
    const run = await doctor({ identityCenter });
    expect(run.code).toBe(1);
    expect(run.problems).toEqual([
      `FAIL identityCenter.identityStoreId d-0000000000 is not the identity store of ${DEFAULT_INSTANCE.instanceArn} (${DEFAULT_INSTANCE.identityStoreId})`,
    ]);
    expect(run.lines.filter((line) => /^\w+ +(permission set|group|user) /.test(line))).toEqual([]);
  });

  it("warns, without failing, when Slack does not report the token's scopes", async () => {
    slack.scopes = undefined;
    const run = await doctor();
    expect(run.code).toBe(0);
    expect(run.lines).toContain("WARN Slack: auth.test did not say which scopes the token has");
  });

  describe("as the CLI in a child process", () => {
    function env(configPath: string): NodeJS.ProcessEnv {
      return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ACCESS_CONFIG: configPath,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_ENDPOINT_URL_SSO_ADMIN: ic.endpoint,
        AWS_ENDPOINT_URL_IDENTITYSTORE: ic.endpoint,
        SLACK_SIGNING_SECRET: "doctor-secret",
        SLACK_BOT_TOKEN: "xoxb-doctor",
        SLACK_API_URL: apiUrl,
      };
    }

    function writeConfig(name: string, overrides: Partial<AccessConfig> = {}): string {
      const path = join(dir, name);
      writeFileSync(path, exampleConfigYaml({ ...AS_IN_DESIGN, ...overrides }));
      return path;
    }

    it("prints its findings on stdout and exits 0 when only warnings remain", async () => {
      const run = await runCli(["doctor"], env(writeConfig("access.yml")));
      const lines = plainLines(run.stdout);
      expect(lines.filter((line) => line.startsWith("FAIL"))).toEqual([]);
      expect(run.code).toBe(0);
      expect(lines.some((line) => line.startsWith(LONG_SESSION))).toBe(true);
      expect(lines.at(-1)).toBe("13 ok, 1 warning(s), 0 problem(s)");
    });

    it("names each problem and exits 1: a missing permission set, a missing group, no bot token", async () => {
      const path = writeConfig("broken.yml", {
        permissionSets: { ReadOnly: READ_ONLY, Ghost: MISSING_SET },
        rules: [
          exampleRule("staging-self-service"),
          exampleRule("prod-admin", {
            permissionSets: ["*"],
            approvers: { groups: ["Platform Oncall"], emails: ["security-lead@example.com"] },
          }),
        ],
      });
      const run = await runCli(["doctor"], { ...env(path), SLACK_BOT_TOKEN: "" });
      expect(run.code).toBe(1);
      expect(plainLines(run.stdout).filter((line) => line.startsWith("FAIL"))).toEqual([
        `FAIL permission set Ghost: ${MISSING_SET}: not found in Identity Center`,
        'FAIL group "Platform Oncall": no such group in Identity Center; rules naming it match nobody',
        "FAIL Slack: SLACK_BOT_TOKEN is not set",
      ]);
      expect(plainLines(run.stdout)).toContain(`ok   permission set ReadOnly: ${READ_ONLY}`);
    });
  });
});

import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Grant } from "../../src/domain/grant.js";
import { type CliRun, localBotEnv, plainLines, runCli } from "../support/cli-run.js";
import { E2EStack, PEOPLE, type Person, waitFor } from "../support/e2e.js";
import { ADMIN, AS_IN_DESIGN, exampleConfig, exampleConfigYaml } from "../support/example-config.js";

const { dev, admin, admin2, outsider } = PEOPLE;
const COMMANDS = ["serve", "sandbox", "init-table", "doctor", "grants", "revoke", "sweep", "audit", "help"];

/** The operator's CLI, run in a child process against the same table, simulator and fake Slack. */
describe("the operator CLI", () => {
  const table = `cli-${randomBytes(4).toString("hex")}`;
  const dir = mkdtempSync(join(tmpdir(), "aws-access-cli-"));
  const closers: Array<() => Promise<void>> = [];
  let stack: E2EStack;
  let env: NodeJS.ProcessEnv = {};
  const ids = { revoke: "", sweep: "", pending: "", cancel: "" };

  function writeConfig(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  function cli(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    return runCli(args, { ...env, ...extra });
  }

  /** Lines meant for the operator, without the JSON log lines the commands also write to stdout. */
  function printed(run: CliRun): string[] {
    return plainLines(run.stdout);
  }

  async function request(who: Person, text: string): Promise<string> {
    const before = new Set((await stack.grantsOf(who)).map((g) => g.id));
    expect((await stack.slash(who, text)).status).toBe(200);
    const grant = await waitFor("the request to be stored", async () =>
      (await stack.grantsOf(who)).find((g) => !before.has(g.id)),
    );
    return grant.id;
  }

  async function approved(who: Person, text: string): Promise<string> {
    const id = await request(who, text);
    await stack.click(admin, "approve", id);
    await waitFor("activation", async () => (await stack.store.get(id))?.status === "active");
    return id;
  }

  beforeAll(async () => {
    const configPath = writeConfig("access.yml", exampleConfigYaml(AS_IN_DESIGN));
    stack = new E2EStack({ table, config: exampleConfig(AS_IN_DESIGN) });
    closers.push(() => stack.stop());
    await stack.start(inject("dynamoEndpoint"));
    const ic = await stack.sim.start();
    closers.unshift(() => ic.close());
    env = localBotEnv(inject("dynamoEndpoint"), table, {
      configPath,
      icEndpoint: ic.endpoint,
      slackApiUrl: new URL("/api/", stack.slack.responseUrl("cli")).href,
      signingSecret: stack.secret,
      botToken: "xoxb-cli",
    });
    ids.revoke = await approved(dev, "prod AdministratorAccess 1h fixing INC-123");
    ids.sweep = await approved(dev, "prod ReadOnly 1h reading logs");
    ids.pending = await request(admin2, "prod ReadOnly 2h audit review");
    ids.cancel = await request(outsider, "prod ReadOnly 1h looking around");
    // From here on only the CLI moves grants: the in-process bot's sweep would race it.
    await stack.stopBot();
  }, 60_000);

  afterAll(async () => {
    for (const close of closers) await close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Commands that change no grant run side by side; the ones that move grants follow, one at a time.

  it.concurrent("lists every command with --help and exits 0", async ({ expect }) => {
    const run = await cli(["--help"]);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
  });

  it.concurrent.for([
    { args: ["launch"], complaint: "unknown command 'launch'" },
    { args: ["revoke"], complaint: "revoke needs exactly one grant id" },
  ])("exits 2 with usage for $args", async ({ args, complaint }, { expect }) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(complaint);
    expect(run.stderr).toMatch(/revoke <grant-id>|npm run cli -- revoke/);
  });

  it.concurrent.for([
    {
      args: ["serve", "--create-tabel"],
      complaint: "unknown option --create-tabel; did you mean --create-table?",
    },
    { args: ["grants", "--al"], complaint: "unknown option --al; grants takes no options" },
    { args: ["swep"], complaint: "unknown command 'swep'; did you mean 'sweep'?" },
  ])(
    "refuses $args before doing anything, with a suggestion, and exits 2",
    async ({ args, complaint }, { expect }) => {
      const run = await cli(args, { GRANTS_TABLE: `cli-never-${randomBytes(4).toString("hex")}` });
      expect(run.code).toBe(2);
      expect(run.stderr.split("\n")[0]).toBe(complaint);
      expect(run.stdout).toBe("");
    },
  );

  it.concurrent("creates a table with both indexes and is safe to run again", async ({ expect }) => {
    const fresh = `cli-init-${randomBytes(4).toString("hex")}`;
    const first = await cli(["init-table"], { GRANTS_TABLE: fresh });
    expect(first.code).toBe(0);
    expect(printed(first)).toEqual([`created table ${fresh}`]);
    const again = await cli(["init-table"], { GRANTS_TABLE: fresh });
    expect(again.code).toBe(0);
    expect(printed(again)).toEqual([`table ${fresh} exists; nothing to do`]);
    const described = await stack.dynamo.send(new DescribeTableCommand({ TableName: fresh }));
    const indexes = described.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort();
    expect(indexes).toEqual(["auditByDay", "byRequester", "due"]);
  });

  it.concurrent.for([
    {
      name: "no rules",
      yaml: "rules: []",
      problem: "- rules: lists no rules: nobody could request anything",
    },
    {
      name: "a bad duration",
      yaml: "maxDuration: 4h",
      replace: "maxDuration: 4x",
      problem: "rules[1].maxDuration",
    },
  ])("stops on a config with $name, naming the path, without a stack trace", async (broken, { expect }) => {
    const base = exampleConfigYaml(AS_IN_DESIGN);
    const text = broken.replace
      ? base.replace(broken.yaml, broken.replace)
      : base.replace(/rules:[\s\S]*$/, broken.yaml);
    const path = writeConfig(`broken-${broken.name.replaceAll(" ", "-")}.yml`, text);
    const run = await cli(["grants"], { ACCESS_CONFIG: path });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${path} is not a valid access config`);
    expect(run.stderr).toContain(broken.problem);
    expect(run.stderr).not.toMatch(/^ {4}at /m);
  });

  it.concurrent("refuses an unknown grant id in one line, without a stack trace", async ({ expect }) => {
    const run = await cli(["revoke", "zzzz2222"]);
    expect(run.code).toBe(1);
    expect(plainLines(run.stderr)).toEqual(["no grant `zzzz2222`"]);
  });

  it.concurrent("lists open grants with their ids and statuses and a count", async ({ expect }) => {
    const run = await cli(["grants"]);
    expect(run.code).toBe(0);
    const lines = printed(run);
    expect(lines[0]).toMatch(/^id\s+status\s+requester/);
    const rows = [
      [ids.revoke, "active", dev.email],
      [ids.sweep, "active", dev.email],
      [ids.pending, "pending", admin2.email],
      [ids.cancel, "pending", outsider.email],
    ];
    for (const [id, status, email] of rows) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${id}\\s+${status}\\s+${email}\\s`)));
    }
    expect(lines.at(-1)).toBe("4 open grant(s)");
    // Logs go to stderr: stdout is the table and nothing else.
    expect(run.stdout.trimEnd().split("\n")).toEqual(lines);
  });

  it("revokes an active grant as the operator and deletes its assignment", async () => {
    expect(stack.userAssignments(dev)).toContainEqual(expect.objectContaining({ permissionSetArn: ADMIN }));
    const run = await cli(["revoke", ids.revoke]);
    expect(plainLines(run.stderr)).toEqual([]);
    expect(run.stdout.split("\n").filter((line) => line.startsWith("{"))).toEqual([]);
    expect(run.code).toBe(0);
    expect(printed(run)).toEqual([`${ids.revoke}: active -> ended`]);
    expect(stack.userAssignments(dev)).not.toContainEqual(
      expect.objectContaining({ permissionSetArn: ADMIN }),
    );
    const audit = await stack.store.auditOf(ids.revoke);
    expect(audit).toContainEqual(
      expect.objectContaining({
        type: "revoke-requested",
        actor: "operator",
        reason: "revoked by the operator",
      }),
    );
    expect(audit).toContainEqual(expect.objectContaining({ type: "revoked", status: "ended" }));
  });

  it("cancels a pending grant, takes the buttons off its approval message and tells the requester", async () => {
    const run = await cli(["revoke", ids.cancel]);
    expect(run.code).toBe(0);
    expect(printed(run)).toEqual([`${ids.cancel}: pending -> cancelled`]);
    expect(await stack.store.auditOf(ids.cancel)).toContainEqual(
      expect.objectContaining({ type: "cancelled", actor: "operator" }),
    );
    const message = stack.slack
      .messagesIn("C0PRODADMIN")
      .find((m) => JSON.stringify(m.blocks).includes(ids.cancel));
    expect(message?.updates).toBeGreaterThan(0);
    expect(JSON.stringify(message?.blocks)).not.toContain("grant_approve");
    const told = stack.slack.messages.find((m) => m.channel.startsWith("D") && m.text?.includes(ids.cancel));
    expect(told?.text).toContain("cancelled by an operator");
  });

  it("ends a grant whose expiry has passed in one sweep", async () => {
    const grant = await stack.store.get(ids.sweep);
    if (!grant) throw new Error("the sweep grant is gone");
    const past = Date.now() - 1_000;
    await stack.store.save({
      grant: { ...grant, version: grant.version + 1, expiresAt: past, dueAt: past } as Grant,
      expect: { status: grant.status, version: grant.version },
      audit: [],
    });
    const run = await cli(["sweep"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("swept: 1 due, 0 error(s), 0 overdue\n");
    expect(run.stderr).toContain('"msg":');
    expect((await stack.store.get(ids.sweep))?.status).toBe("ended");
    expect(stack.userAssignments(dev)).toEqual([]);
    expect(await stack.store.auditOf(ids.sweep)).toContainEqual(
      expect.objectContaining({ type: "expired", actor: "system" }),
    );
  });
});

import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import type { Grant } from "../../src/domain/grant.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { seedActiveGrants } from "../support/active-grants.js";
import { localBotEnv, serveChild } from "../support/cli-run.js";
import { DynamoProxy, type ProxyRule } from "../support/dynamo-proxy.js";
import { freePort } from "../support/dynamodb-local.js";
import { e2eSeed, PEOPLE, waitFor } from "../support/e2e.js";
import { minuteGrantsConfigYaml } from "../support/example-config.js";

const CONFIG = minuteGrantsConfigYaml();

/**
 * The real `serve` process killed with SIGKILL at each crash point of a revocation, then started again: exactly
 * one DeleteAccountAssignment is accepted and the grant ends.
 */
describe("a server killed at each crash point of a revocation", () => {
  const table = `crash-${randomBytes(4).toString("hex")}`;
  const sim = new IdentityCenterSimulator({ seed: e2eSeed(), faults: { delayMs: 20 } });
  const slack = new FakeSlack({
    users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email })),
  });
  const proxy = new DynamoProxy(inject("dynamoEndpoint"));
  const dynamo = new DynamoDBClient({
    endpoint: inject("dynamoEndpoint"),
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const store = new DynamoGrantStore(dynamo, table);
  const closers: Array<() => Promise<void>> = [];
  let env: NodeJS.ProcessEnv = {};
  let port = 0;

  beforeAll(async () => {
    await createGrantsTable(dynamo, table);
    const ic = await sim.start();
    const fake = await slack.start();
    const dynamoUrl = await proxy.start();
    closers.push(ic.close, fake.close, () => proxy.stop());
    const dir = mkdtempSync(join(tmpdir(), "aws-access-crash-"));
    writeFileSync(join(dir, "access.yml"), CONFIG);
    port = await freePort();
    env = localBotEnv(dynamoUrl, table, {
      configPath: join(dir, "access.yml"),
      icEndpoint: ic.endpoint,
      slackApiUrl: fake.apiUrl,
      signingSecret: randomBytes(16).toString("hex"),
      botToken: "xoxb-crash",
      port,
    });
  }, 60_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    dynamo.destroy();
  });

  /** Each test starts from no server: the one a test restarted must not drive the next test's grant. */
  afterEach(async () => {
    for (const child of running.splice(0)) await kill(child);
  });

  const running: ChildProcess[] = [];

  function serve(): Promise<ChildProcess> {
    return serveChild(env, port, (child) => running.push(child));
  }

  async function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Deletions Identity Center accepted for a grant's assignment. */
  function deletionsOf(grant: Grant) {
    return sim
      .calls()
      .filter(
        (c) =>
          c.operation === "DeleteAccountAssignment" &&
          c.outcome === "ok" &&
          (c.input as { PrincipalId?: string }).PrincipalId === grant.requester.userId,
      );
  }

  async function ended(grant: Grant): Promise<Grant> {
    return waitFor(
      "the grant to end after the restart",
      async () => {
        const now = await store.get(grant.id);
        return now?.status === "ended" ? now : undefined;
      },
      60_000,
    );
  }

  function assignmentOf(grant: Grant) {
    return sim.assignments().filter((a) => a.principalId === grant.requester.userId);
  }

  /** Kills the server when a DynamoDB request matching `rule` arrives, never lets it through, starts it again. */
  async function crashAt(rule: Omit<ProxyRule, "action">): Promise<Grant> {
    const child = await serve();
    const held = proxy.when({ ...rule, action: "hang" });
    const [grant] = await seedActiveGrants(store, sim, 1, Date.now() + 1_000);
    if (!grant) throw new Error("no grant");
    const request = await held;
    await kill(child);
    request.drop();
    await serve();
    return grant;
  }

  it("sends one deletion when killed after its claim, before DeleteAccountAssignment", async () => {
    const grant = await crashAt({ operation: "TransactWriteItems", containing: '"kind":{"S":"deletion"}' });
    expect((await ended(grant)).status).toBe("ended");
    expect(deletionsOf(grant)).toHaveLength(1);
    expect(assignmentOf(grant)).toEqual([]);
  }, 120_000);

  it("sends one deletion when killed after DeleteAccountAssignment was accepted", async () => {
    const child = await serve();
    sim.setFaults({ hangOperations: ["DeleteAccountAssignment"], delayMs: 4_000 });
    const [grant] = await seedActiveGrants(store, sim, 1, Date.now() + 1_000);
    if (!grant) throw new Error("no grant");
    await waitFor("the deletion to be accepted", () => deletionsOf(grant).length > 0, 20_000);
    await kill(child);
    sim.setFaults({ hangOperations: [] });
    await serve();
    expect((await ended(grant)).status).toBe("ended");
    sim.setFaults({ delayMs: 20 });
    expect(deletionsOf(grant)).toHaveLength(1);
    expect(assignmentOf(grant)).toEqual([]);
  }, 120_000);

  it("sends one deletion when killed after SUCCEEDED, before the grant was written ended", async () => {
    const grant = await crashAt({ operation: "TransactWriteItems", containing: '"status":{"S":"ended"}' });
    expect((await ended(grant)).status).toBe("ended");
    expect(deletionsOf(grant)).toHaveLength(1);
    expect(assignmentOf(grant)).toEqual([]);
  }, 120_000);
});

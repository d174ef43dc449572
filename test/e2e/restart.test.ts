import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { createGrantsTable } from "../../src/adapters/dynamodb/table.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { FakeSlack } from "../../src/sim/slack/fake-slack.js";
import { localBotEnv, serveChild } from "../support/cli-run.js";
import { freePort } from "../support/dynamodb-local.js";
import { e2eSeed, PEOPLE, waitFor } from "../support/e2e.js";
import { minuteGrantsConfigYaml } from "../support/example-config.js";
import {
  blockActionPayload,
  deliver,
  signedBlockAction,
  signedSlashCommand,
  slashCommandFields,
} from "../support/slack.js";

const { dev, admin } = PEOPLE;
const CONFIG = minuteGrantsConfigYaml();

/** The real `serve` command in its own process, killed with SIGKILL and started again. */
describe("a server killed mid-grant", () => {
  const secret = randomBytes(16).toString("hex");
  const table = `restart-${randomBytes(4).toString("hex")}`;
  const sim = new IdentityCenterSimulator({ seed: e2eSeed(), faults: { delayMs: 20 } });
  const slack = new FakeSlack({
    users: Object.values(PEOPLE).map((p) => ({ id: p.slackId, email: p.email })),
  });
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
    closers.push(ic.close, fake.close);
    const dir = mkdtempSync(join(tmpdir(), "aws-access-"));
    writeFileSync(join(dir, "access.yml"), CONFIG);
    port = await freePort();
    env = localBotEnv(inject("dynamoEndpoint"), table, {
      configPath: join(dir, "access.yml"),
      icEndpoint: ic.endpoint,
      slackApiUrl: fake.apiUrl,
      signingSecret: secret,
      botToken: "xoxb-restart",
      port,
    });
  }, 60_000);

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    dynamo.destroy();
  });

  function serve(): Promise<ChildProcess> {
    return serveChild(env, port, (child) =>
      closers.push(async () => {
        if (child.exitCode === null) child.kill("SIGKILL");
      }),
    );
  }

  it("still revokes on time after a restart, and not before expiry", async () => {
    const url = `http://127.0.0.1:${port}/slack/events`;
    const first = await serve();
    const command = slashCommandFields({ user_id: dev.slackId, text: "prod ReadOnly 1m restart test" });
    expect((await deliver(url, signedSlashCommand(secret, command))).status).toBe(200);
    const pending = await waitFor("the request", async () => (await store.byRequester(dev.slackId))[0]);
    const click = blockActionPayload({ userId: admin.slackId, value: pending.id });
    expect((await deliver(url, signedBlockAction(secret, click))).status).toBe(200);
    const active = await waitFor("activation", async () => {
      const grant = await store.get(pending.id);
      return grant?.status === "active" ? grant : undefined;
    });

    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await store.get(pending.id))?.status).toBe("active");
    await serve();

    const ended = await waitFor(
      "revocation after the restart",
      async () => {
        const grant = await store.get(pending.id);
        return grant?.status === "ended" ? grant : undefined;
      },
      90_000,
    );
    const expiresAt = active.expiresAt ?? 0;
    expect(ended.endedAt).toBeGreaterThanOrEqual(expiresAt);
    expect((ended.endedAt ?? 0) - expiresAt).toBeLessThanOrEqual(10_000);
    expect(
      sim.assignments().filter((a) => a.principalType === "USER" && a.principalId === dev.userId),
    ).toEqual([]);
  }, 120_000);
});

import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AuditIndexMissing } from "../../src/adapters/dynamodb/errors.js";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";
import { AUDIT_INDEX, createGrantsTable, grantsTableDefinition } from "../../src/adapters/dynamodb/table.js";
import { auditTrail } from "../../src/app/audit.js";
import type { AuditEntry, AuditQuery } from "../../src/app/ports.js";
import { readAll } from "../support/audit-contract.js";
import {
  ACCOUNTS,
  type AuditDataset,
  auditDataset,
  DAY,
  DAY0,
  DAYS,
  EDGES,
  fingerprint,
  REQUESTERS,
  writeDataset,
} from "../support/audit-dataset.js";
import { localAwsEnv, runCli } from "../support/cli-run.js";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const endpoint = inject("dynamoEndpoint");
const client = new DynamoDBClient({ endpoint, region: "us-east-1", credentials });
const table = `audit-${randomBytes(4).toString("hex")}`;
const store = new DynamoGrantStore(client, table);
const ALL: AuditQuery = { from: DAY0, to: DAY0 + DAYS * DAY - 1 };
const iso = (at: number) => new Date(at).toISOString();
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** 950 grants with ten events each and 500 refusals: 10,000 events over five days. */
let data: AuditDataset;

function expectedIn(query: AuditQuery): AuditEntry[] {
  return data.expected.filter(
    ({ event, requester, account }) =>
      event.at >= query.from &&
      event.at <= query.to &&
      (query.requester === undefined || requester === query.requester) &&
      (query.account === undefined || account === query.account),
  );
}

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`audit, 10,000 events: ${what} in ${seconds(performance.now() - started)}`);
  return result;
}

beforeAll(async () => {
  await createGrantsTable(client, table);
  data = auditDataset(950, 500);
  expect(data.expected).toHaveLength(10_000);
  await timed("written (950 grant transactions, 500 refusals, 16 at a time)", () =>
    writeDataset(store, data),
  );
}, 300_000);

afterAll(() => client.destroy());

describe("the audit index on DynamoDB Local, with 10,000 events over five days", () => {
  it("reads every event once, in time order, through the index", async () => {
    const { entries, pages } = await timed("read in full, pages of 500", () => readAll(store, ALL, 500));
    expect(entries).toHaveLength(10_000);
    expect(pages.every((size) => size <= 500)).toBe(true);
    const times = entries.map((e) => e.event.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(fingerprint(entries)).toEqual(fingerprint(data.expected));
  });

  it("keeps the order of events written together and of events at the same millisecond", async () => {
    const [g6, g7] = [data.grants[6], data.grants[7]];
    const at = g6?.events[0]?.at ?? 0;
    expect(g7?.events[0]?.at).toBe(at);
    const { entries } = await readAll(store, { from: at, to: at + 9 * 29 * 60_000 });
    const of = (id: string | undefined) =>
      entries.filter((e) => e.event.grantId === id).map((e) => e.event.type);
    expect(of(g6?.grant.id)).toEqual(g6?.events.map((e) => e.type));
    expect(of(g7?.grant.id)).toEqual(g7?.events.map((e) => e.type));
  });

  it.each([
    { filter: "requester", query: { requester: REQUESTERS[0] } },
    { filter: "account", query: { account: ACCOUNTS[1] } },
    { filter: "requester and account", query: { requester: REQUESTERS[2], account: ACCOUNTS[0] } },
  ])("filters by $filter, refusals included", async ({ filter, query }) => {
    const wanted = { ...ALL, ...query };
    const { entries } = await timed(`filtered by ${filter}`, () => readAll(store, wanted, 500));
    expect(entries.length).toBeGreaterThan(0);
    expect(fingerprint(entries)).toEqual(fingerprint(expectedIn(wanted)));
    expect(entries.some((e) => e.event.type === "refused")).toBe(true);
  });

  it("includes both ends of a range and nothing a millisecond outside it", async () => {
    const day1 = { from: EDGES.firstOfDay1, to: EDGES.lastOfDay1 };
    const { entries } = await readAll(store, day1, 500);
    expect(fingerprint(entries)).toEqual(fingerprint(expectedIn(day1)));
    const times = entries.map((e) => e.event.at);
    expect(times[0]).toBe(EDGES.firstOfDay1);
    expect(times.at(-1)).toBe(EDGES.lastOfDay1);
    expect(times).not.toContain(EDGES.lastOfDay0);
    expect(times).not.toContain(EDGES.firstOfDay2);
    const instant = await readAll(store, { from: EDGES.lastOfDay0, to: EDGES.lastOfDay0 });
    expect(instant.entries.map((e) => [e.event.grantId, e.event.type])).toEqual([
      [data.grants[2]?.grant.id, "revoked"],
    ]);
  });

  it("pages across day partitions with small pages, each event once", async () => {
    const range = { from: DAY0 + DAY / 2, to: DAY0 + 3 * DAY };
    const { entries, pages } = await readAll(store, range, 97);
    expect(pages.length).toBeGreaterThan(40);
    expect(pages.every((size) => size <= 97)).toBe(true);
    expect(fingerprint(entries)).toEqual(fingerprint(expectedIn(range)));
  });

  it("gives the use case the whole trail page by page, and one grant's trail from its own partition", async () => {
    let count = 0;
    for await (const page of auditTrail({ store }, { ...ALL, requester: "ALICE@example.com" }))
      count += page.length;
    expect(count).toBe(expectedIn({ ...ALL, requester: "alice@example.com" }).length);
    const one = data.grants[10];
    const trail: AuditEntry[] = [];
    for await (const page of auditTrail(
      { store },
      { from: 0, to: Number.MAX_SAFE_INTEGER, grantId: one?.grant.id },
    )) {
      trail.push(...page);
    }
    expect(trail.filter((e) => e.event.type !== "refused").map((e) => e.event)).toEqual(one?.events);
  });
});

describe("the audit command against the same table", () => {
  const env = localAwsEnv(endpoint, table);
  const range = ["--since", iso(ALL.from), "--until", iso(ALL.to)];

  it("streams all 10,000 events as JSON lines on stdout, the count on stderr", async () => {
    const run = await timed("printed as jsonl by the CLI (child process)", () =>
      runCli(["audit", ...range, "--format", "jsonl"], env),
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(10_000);
    const times = lines.map((line) => Date.parse(JSON.parse(line).time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(run.stderr).toContain(`10000 audit event(s), ${iso(ALL.from)} to ${iso(ALL.to)}`);
  });

  it("writes CSV for a requester on an account, one record per event", async () => {
    const run = await runCli(
      ["audit", ...range, "--user", "Bob@Example.com", "--account", "STAGING", "--format=csv"],
      env,
    );
    expect(run.code).toBe(0);
    const records = run.stdout.split("\r\n").filter((r) => r !== "");
    expect(records[0]).toBe("time,actor,action,grant,account,permission_set,requester,reason,status");
    expect(records.length - 1).toBe(
      expectedIn({ ...ALL, requester: "bob@example.com", account: "staging" }).length,
    );
    expect(records.slice(1).every((r) => r.includes(",staging,ReadOnly,bob@example.com,"))).toBe(true);
  });

  it("prints one grant's trail as a table", async () => {
    const one = data.grants[0];
    const run = await runCli(["audit", "--grant", `\`${one?.grant.id.toUpperCase()}\``], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^time\s+actor\s+action\s+grant\s+account\s+permission set\s+requester\s+reason$/,
    );
    expect(lines.find((line) => / requested /.test(line))).toMatch(
      new RegExp(
        `^${iso(EDGES.firstOfDay1)}\\s+U0LEAD\\s+requested\\s+${one?.grant.id}\\s+prod\\s+ReadOnly\\s+alice@`,
      ),
    );
    expect(lines.filter((line) => / revoked /.test(line))).toHaveLength(1);
  });

  it.each([
    { args: ["--since", "7x"], says: "--since '7x' is not a duration back from now" },
    { args: ["--format", "xml"], says: "unknown --format 'xml' (use table, csv, jsonl)" },
    { args: ["--sinse", "7d"], says: "unknown option --sinse; did you mean --since?" },
  ])("exits 2 on $args, saying what is wrong, with nothing on stdout", async ({ args, says }) => {
    const run = await runCli(["audit", ...args], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(says);
    expect(run.stdout).toBe("");
  });
});

describe("a table made before the audit index", () => {
  it("refuses audit queries by name, and init-table adds the index", async () => {
    const old = `audit-old-${randomBytes(4).toString("hex")}`;
    const definition = grantsTableDefinition(old);
    definition.GlobalSecondaryIndexes = definition.GlobalSecondaryIndexes?.filter(
      (i) => i.IndexName !== AUDIT_INDEX,
    );
    definition.AttributeDefinitions = definition.AttributeDefinitions?.filter(
      (a) => a.AttributeName !== "auditDay",
    );
    await client.send(new CreateTableCommand(definition));
    const oldStore = new DynamoGrantStore(client, old);
    await expect(oldStore.auditBetween(ALL)).rejects.toBeInstanceOf(AuditIndexMissing);
    expect(await createGrantsTable(client, old)).toBe("updated");
    const { Table } = await client.send(new DescribeTableCommand({ TableName: old }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual([
      AUDIT_INDEX,
      "byRequester",
      "due",
    ]);
    expect(await createGrantsTable(client, old)).toBe("exists");
    expect(await oldStore.auditBetween(ALL)).toEqual({ items: [] });
  });
});

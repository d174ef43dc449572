import { DEFAULT_INSTANCE } from "../src/sim/identity-center/index.js";
import { startDynamoDbLocal } from "../test/support/dynamodb-local.js";
import { measureAcks } from "./lib/ack.js";
import { measureApprovals } from "./lib/approval.js";
import type { Child } from "./lib/child.js";
import { Cleanup } from "./lib/cleanup.js";
import { last, measureMemory, peak, type ServeRun } from "./lib/memory.js";
import { startBareChild, startServedBot } from "./lib/served.js";
import { below, formatTable, info, latencyRows, mb, ms, progress, type Row, summarize } from "./lib/stats.js";
import { benchUser, slackUsers, worldSeed } from "./lib/world.js";

// The long-running server's targets on loopback; prints figures and asserts nothing (not a test).

const ACK = { warmup: 30, rounds: 300 };
const APPROVALS = { count: 100, spacingMs: 250 };
const MEMORY = { grants: 10_000, quietMs: 15_000, dueMs: 35_000 };
const MB = 1024 * 1024;

async function latencyTargets(dynamoEndpoint: string, outer: Cleanup): Promise<Row[]> {
  const cleanup = new Cleanup();
  outer.defer("latency phase", () => cleanup.run());
  const requesters = Array.from({ length: APPROVALS.count }, (_, n) => benchUser("B", n));
  const bot = await startServedBot(dynamoEndpoint, cleanup, "latency", {
    seed: worldSeed(requesters),
    slackUsers: slackUsers(requesters),
  });
  const bareUrl = await startBareChild(bot.secret, cleanup);

  progress(
    `slash command acks: ${ACK.warmup} warm-up + ${ACK.rounds} rounds of request, list, each vs bare Bolt`,
  );
  const acks = await measureAcks(bot, bareUrl, ACK);
  const rows: Row[] = [];
  for (const kind of ["request", "list"] as const) {
    const served = summarize(acks.bot[kind]);
    const base = summarize(acks.bare[kind]);
    rows.push(
      ...latencyRows(`slash ack (${kind})`, served).filter((row) => !row.metric.endsWith("p99")),
      below(`slash ack p99 (${kind})`, served.p99, 100, "ms"),
      ...latencyRows(`bare Bolt ack (${kind})`, base),
      below(`ack p99 ratio bot/bare (${kind})`, served.p99 / base.p99, 1.5, "x"),
      below(`ack p50 ratio bot/bare (${kind})`, served.p50 / base.p50, 1.5, "x"),
      info(`send -> reply posted p50 (${kind})`, ms(summarize(acks.reply[kind]).p50)),
    );
  }
  if (acks.missingReplies > 0)
    rows.push(info("commands with no reply within 5 s", String(acks.missingReplies)));

  progress(
    `approvals: ${APPROVALS.count} pending requests by distinct users, approved one every ${APPROVALS.spacingMs} ms`,
  );
  const approvals = await measureApprovals(bot, requesters, APPROVALS);
  const toCreate = summarize(approvals.toCreate);
  rows.push(
    below("approve -> CreateAccountAssignment p50", toCreate.p50, 100, "ms"),
    info("approve -> CreateAccountAssignment p90", ms(toCreate.p90)),
    info("approve -> CreateAccountAssignment max", ms(toCreate.max)),
    info("approve -> requester told p50", ms(summarize(approvals.toActive).p50)),
    info("approvals measured / lost", `${approvals.toCreate.length} / ${approvals.lost}`),
  );
  printLog("latency serve", bot.child);
  await outer.runOne("latency phase");
  return rows;
}

async function memoryTargets(dynamoEndpoint: string, cleanup: Cleanup): Promise<Row[]> {
  progress(`memory: serve in a child process, ${MEMORY.grants} active grants`);
  const { tsx, capped, seedMs, storeCeiling } = await measureMemory(dynamoEndpoint, cleanup, MEMORY);
  const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
  const stopped = (run: ServeRun) =>
    run.stopped.killed ? `killed after ${seconds(run.stopped.ms)}` : `exited in ${seconds(run.stopped.ms)}`;
  const rows: Row[] = [
    info("serve RSS at idle start", mb(last(tsx, "idle"))),
    info(`seeding ${MEMORY.grants} grants + tuples`, seconds(seedMs)),
    info(`serve RSS after seeding + ${MEMORY.quietMs / 1000} s of sweeps`, mb(last(tsx, "quiet"))),
    below("serve RSS peak, nothing due", peak(tsx, "idle", "seed", "quiet") / MB, 150, "MB"),
    below("serve RSS peak, all due within 1 min", peak(tsx, "rewrite", "due") / MB, 150, "MB"),
    below("serve VmHWM (whole run)", tsx.hwm / MB, 150, "MB"),
    info(`reminders sent (rewrite + ${MEMORY.dueMs / 1000} s due)`, String(tsx.reminders)),
    info("DynamoDB Local ceiling, get+transact x8", `${storeCeiling.toFixed(0)}/s`),
    info("serve on SIGTERM with a backlog", stopped(tsx)),
    info(`bundled JS ${capped.flags}: RSS idle`, mb(last(capped, "idle"))),
    info(`bundled JS ${capped.flags}: peak due`, mb(peak(capped, "rewrite", "due"))),
    info(`bundled JS ${capped.flags}: reminders`, String(capped.reminders)),
  ];
  process.stdout.write("serve RSS samples, 1/s (MB; in the due phase: (reminders sent so far)):\n");
  for (const [label, run] of [
    ["tsx", tsx],
    [`bundled ${capped.flags}`, capped],
  ] as const) {
    for (const phase of ["idle", "seed", "quiet", "rewrite", "due"]) {
      const samples = run.samples.filter((sample) => sample.phase === phase);
      if (samples.length === 0) continue;
      const trace = samples
        .map((sample) => `${(sample.rss / MB).toFixed(0)}${phase === "due" ? `(${sample.count})` : ""}`)
        .join(" ");
      process.stdout.write(`  ${label} ${phase}: ${trace}\n`);
    }
    printLog(`${label} serve`, run.child);
  }
  return rows;
}

function printLog(label: string, child: Child): void {
  const counts = (map: Map<string, number>) => [...map].map(([msg, n]) => `${msg} x${n}`).join("; ");
  process.stdout.write(`${label} log lines: ${counts(child.logged)}\n`);
  if (child.errors.size > 0) process.stdout.write(`${label} error lines: ${counts(child.errors)}\n`);
}

async function main(): Promise<number> {
  const cleanup = new Cleanup();
  const interrupt = () => {
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const started = Date.now();
  try {
    progress("starting DynamoDB Local");
    const dynamo = await startDynamoDbLocal();
    cleanup.defer("DynamoDB Local", () => dynamo.stop());
    const latency = await latencyTargets(dynamo.endpoint, cleanup);
    const rows = [...latency, ...(await memoryTargets(dynamo.endpoint, cleanup))];
    process.stdout.write(`\n${formatTable(rows)}\n`);
    process.stdout.write(
      `\nIdentity Center instance ${DEFAULT_INSTANCE.instanceArn}; node ${process.version}; ` +
        `bench took ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    return 0;
  } finally {
    await cleanup.run();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);

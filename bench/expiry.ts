import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { concurrencyCaps } from "../infra/concurrency.js";
import { TIMEOUTS } from "../infra/constructs/functions.js";
import { startDynamoDbLocal } from "../test/support/dynamodb-local.js";
import { Cleanup } from "./lib/cleanup.js";
import { type ExpiryFigures, expiryRows, judged } from "./lib/expiry-figures.js";
import { type LambdaFacts, lambdaExpiryRun, loneGrantRun } from "./lib/expiry-lambda.js";
import { serverExpiryRun } from "./lib/expiry-server.js";
import { warmDynamo } from "./lib/expiry-world.js";
import { type LifecycleCalls, measureLifecycles } from "./lib/lifecycle.js";
import { formatTable, info, progress, type Row } from "./lib/stats.js";

// Mass expiry at Identity Center's quotas on the server and on Lambda; prints figures, asserts nothing (not a test).

const PARTS = ["server", "slack", "lambda", "lone", "lifecycle"] as const;
type Part = (typeof PARTS)[number];

function options(): { parts: Set<Part>; grants: number } {
  const { values } = parseArgs({
    options: { only: { type: "string" }, grants: { type: "string" } },
    allowPositionals: false,
  });
  const only = values.only?.split(",").map((part) => part.trim()) ?? [...PARTS];
  const unknown = only.filter((part) => !PARTS.includes(part as Part));
  if (unknown.length > 0) throw new Error(`--only takes ${PARTS.join(",")}; not ${unknown.join(",")}`);
  return { parts: new Set(only as Part[]), grants: Number(values.grants ?? 2_000) };
}

async function main(): Promise<number> {
  const { parts, grants } = options();
  const cleanup = new Cleanup();
  const interrupt = () => {
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const started = Date.now();
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    progress("starting DynamoDB Local");
    const dynamo = await startDynamoDbLocal();
    cleanup.defer("DynamoDB Local", () => dynamo.stop());
    progress("warming DynamoDB Local up");
    const ceiling = await warmDynamo(dynamo.endpoint);
    rows.push(info("DynamoDB Local: get + conditional transaction, 8 at once", `${ceiling.toFixed(0)}/s`));
    let healthy: ExpiryFigures | undefined;
    if (parts.has("server")) {
      progress(`run 1: serve, ${grants} grants, Slack healthy`);
      const load = loadavg()[0] ?? 0;
      const run = await serverExpiryRun(dynamo.endpoint, {
        label: "server",
        count: grants,
        slackLatencyMs: 0,
        seed: 11,
      });
      healthy = run.figures;
      rows.push(
        ...expiryRows("server", run.figures),
        info("server: Slack calls during the run", String(run.slackCalls)),
        loadRow("server", load),
      );
      notes.push(`server log lines: ${run.logged}`);
    }
    if (parts.has("slack")) {
      progress(`run 2: serve, ${grants} grants, every Slack call hanging 10 s`);
      const load = loadavg()[0] ?? 0;
      const run = await serverExpiryRun(dynamo.endpoint, {
        label: "hung Slack",
        count: grants,
        slackLatencyMs: 10_000,
        seed: 11,
      });
      rows.push(
        ...expiryRows("hung Slack", run.figures),
        info("hung Slack: Slack calls during the run", String(run.slackCalls)),
        loadRow("hung Slack", load),
      );
      notes.push(`hung Slack log lines: ${run.logged}`);
      if (healthy) {
        const ratio = run.figures.lastEndS / healthy.lastEndS;
        rows.push(
          judged(
            "hung Slack: last end vs Slack healthy",
            `${run.figures.lastEndS.toFixed(1)} s / ${healthy.lastEndS.toFixed(1)} s = ${ratio.toFixed(2)}x`,
            "<=1.10x",
            ratio <= 1.1,
          ),
        );
      }
    }
    if (parts.has("lambda")) {
      const caps = concurrencyCaps({});
      progress(`run 3: Lambda revoker at reserved concurrency ${caps.revoker}, ${grants} grants`);
      const timeoutMs = TIMEOUTS.revoker.toMilliseconds();
      const load = loadavg()[0] ?? 0;
      const run = await lambdaExpiryRun(dynamo.endpoint, { count: grants, seed: 11, timeoutMs });
      rows.push(...expiryRows("lambda", run.figures), ...lambdaRows(run.facts), loadRow("lambda", load));
      notes.push(`lambda log lines: ${run.logged}`);
    }
    // The lone grant waits a minute for its wake-up and makes a handful of calls: it runs beside the lifecycles.
    const [lone, lifecycles] = await Promise.all([
      parts.has("lone") ? loneRows(dynamo.endpoint) : Promise.resolve([]),
      parts.has("lifecycle") ? lifecycleParts(dynamo.endpoint, cleanup) : Promise.resolve([]),
    ]);
    rows.push(...lone, ...lifecycles);
    process.stdout.write(`\n${formatTable(rows)}\n\n${notes.join("\n")}\n`);
    process.stdout.write(
      `\nnode ${process.version}; bench took ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    return 0;
  } finally {
    await cleanup.run();
  }
}

/** The machine's 1-minute load average when the run began and now (2 cores, shared with other work). */
function loadRow(label: string, atStart: number): Row {
  return info(
    `${label}: load average at start / end`,
    `${atStart.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)}`,
  );
}

async function loneRows(dynamoEndpoint: string): Promise<Row[]> {
  progress("lone grant on Lambda");
  const lone = await loneGrantRun(dynamoEndpoint, { seed: 12 });
  return [
    info("lone grant: wake-up fired after its time", `${lone.wakeLateS.toFixed(1)} s`),
    info("lone grant: driven by", `${lone.drivenBy}${lone.coldStart ? " (cold start)" : ""}`),
    info("lone grant: expiry -> grant ended", `${lone.recordLagS.toFixed(1)} s`),
    judged(
      "lone grant on Lambda: expiry -> access gone",
      `${lone.accessLagS.toFixed(1)} s`,
      "<=60 s",
      lone.accessLagS <= 60,
    ),
  ];
}

async function lifecycleParts(dynamoEndpoint: string, cleanup: Cleanup): Promise<Row[]> {
  const own = new Cleanup();
  cleanup.defer("lifecycle bot", () => own.run());
  const calls = await measureLifecycles(dynamoEndpoint, own, { together: 50, alone: 5 });
  const stopping = Date.now();
  await cleanup.runOne("lifecycle bot");
  progress(`lifecycle bot stopped in ${((Date.now() - stopping) / 1000).toFixed(1)} s`);
  return [...lifecycleRows("at once", calls.together), ...lifecycleRows("one at a time", calls.alone)];
}

function lambdaRows(f: LambdaFacts): Row[] {
  const stops = new Map<string, number>();
  for (const holder of f.holders) stops.set(holder.stopped, (stops.get(holder.stopped) ?? 0) + 1);
  const driven = f.holders.map((h) => `${h.kind} ${h.seconds.toFixed(0)} s/${h.driven} driven/${h.stopped}`);
  return [
    info("lambda: wake-ups fired / sweeps fired", `${f.wakeUps} / ${f.sweeps}`),
    info("lambda: revoker invocations run / throttled attempts", `${f.revokerRuns} / ${f.revokerThrottles}`),
    info("lambda: events still queued at the end (dropped)", String(f.leftQueued)),
    info(
      "lambda: queue wait before a revoker run p50 / max",
      `${f.waitedP50.toFixed(1)} s / ${f.waitedMax.toFixed(1)} s`,
    ),
    info("lambda: lease holders (kind, run time, driven, stop)", driven.join("; ") || "none"),
    info("lambda: longest revoker run / timeout", `${f.longestS.toFixed(1)} s / ${f.timeoutS.toFixed(0)} s`),
    judged("lambda: revoker runs past the timeout", String(f.overran), "0", f.overran === 0),
    info("lambda: revoker runs that threw", String(f.errors)),
    info("lambda: worker invocations run / throttled attempts", `${f.workerRuns} / ${f.workerThrottles}`),
    info("lambda: cold starts (revoker and worker)", String(f.coldStarts)),
  ];
}

function lifecycleRows(how: string, calls: LifecycleCalls): Row[] {
  const per = Object.entries(calls.perLifecycle)
    .sort((a, b) => b[1] - a[1])
    .map(([operation, n]) => `${operation} ${n.toFixed(2)}`)
    .join(", ");
  return [
    info(`lifecycle (${how}, ${calls.lifecycles}): calls by operation`, per),
    info(`lifecycle (${how}): throttled calls`, String(calls.throttled)),
    info(
      `lifecycle (${how}): DynamoDB calls per expiry (revocation and its notices)`,
      Object.entries(calls.dynamoPerExpiry)
        .sort((a, b) => b[1] - a[1])
        .map(([operation, n]) => `${operation} ${n.toFixed(1)}`)
        .join(", "),
    ),
    judged(`lifecycle (${how}): AWS calls per lifecycle`, calls.total.toFixed(2), "<=8", calls.total <= 8),
  ];
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

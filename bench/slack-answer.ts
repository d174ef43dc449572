import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { esbuildOptions, LAMBDA_ENTRIES } from "../infra/bundling.js";
import { ACTIONS } from "../src/adapters/slack/action-ids.js";
import { DynamoProxy } from "../test/support/dynamo-proxy.js";
import { startDynamoDbLocal } from "../test/support/dynamodb-local.js";
import { PEOPLE } from "../test/support/e2e.js";
import { functionUrlEvent, LambdaStack } from "../test/support/lambda.js";
import {
  blockActionPayload,
  signedBlockAction,
  signedSlashCommand,
  slashCommandFields,
} from "../test/support/slack.js";
import { type ChildRun, runInChild } from "./lib/answer-child.js";
import { Cleanup } from "./lib/cleanup.js";
import { below, formatTable, info, latencyRows, ms, progress, type Row, summarize } from "./lib/stats.js";

// Time-to-answer of the Slack function as the stack bundles it (esbuild, the stack's settings), each run in a new
// Node process: cold is the first answer of a fresh process, warm the answers after it. Prints; asserts nothing.

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 200);
/** Realistic latencies of the stand-ins: every Slack Web API call and every AWS call. */
const SLACK_MS = 150;
const AWS_MS = 50;
/** The targets for the time until Slack has its answer. */
const WARM_P99_MS = 1_000;
const COLD_MS = 2_500;

type Kind = "slash request" | "button click" | "form opening";

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  process.once("SIGINT", () => void cleanup.run().then(() => process.exit(130)));
  // The in-process functions that seed the run log to stdout; only the table goes there.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let rows: Row[];
  try {
    rows = await measure(cleanup);
  } finally {
    await cleanup.run();
    process.stdout.write = write;
  }
  process.stdout.write(`\n${formatTable(rows)}\n`);
}

async function measure(cleanup: Cleanup): Promise<Row[]> {
  const local = await startDynamoDbLocal();
  cleanup.defer("DynamoDB Local", () => local.stop());
  const proxy = new DynamoProxy(local.endpoint);
  const stack = new LambdaStack();
  cleanup.defer("local stand-ins", async () => {
    await stack.stop();
    await proxy.stop();
  });
  await stack.start(await proxy.start());
  const dir = mkdtempSync(join(tmpdir(), "aws-access-slack-answer-"));
  cleanup.defer("bundle directory", () => rmSync(dir, { recursive: true, force: true }));

  progress("a pending request to click Approve on");
  const target = await pendingGrant(stack);
  proxy.delayMs = AWS_MS;
  stack.sim.setFaults({ answerDelayMs: AWS_MS });
  stack.secretsManager.delayMs = AWS_MS;
  stack.lambdaApi.delayMs = AWS_MS;
  stack.slack.latency(SLACK_MS);

  progress("bundling the Slack function with the stack's esbuild settings");
  const bundle = join(dir, "slack", "index.mjs");
  await build({ ...esbuildOptions(LAMBDA_ENTRIES.slack, bundle), logLevel: "error" });

  const loadAtStart = loadavg()[0] ?? 0;
  const events = new Events(stack, target);
  const kinds: Kind[] = ["slash request", "button click", "form opening"];
  const cold = new Map<Kind, ChildRun[]>();
  const warm = new Map<Kind, ChildRun>();
  const handedBefore = stack.lambdaApi.invocations.length;
  let sent = 0;
  for (const kind of kinds) {
    progress(`${kind}: ${COLD_RUNS} cold starts (a new process each), then ${WARM_RUNS} warm answers`);
    const runs: ChildRun[] = [];
    for (let i = 0; i < COLD_RUNS; i++)
      runs.push(await runInChild(bundle, [events.of(kind)], dir, `cold-${i}`));
    cold.set(kind, runs);
    const list = Array.from({ length: WARM_RUNS + 1 }, () => events.of(kind));
    warm.set(kind, await runInChild(bundle, list, dir, `warm-${kind.replace(/ /g, "-")}`));
    sent += COLD_RUNS + WARM_RUNS + 1;
  }
  const handedOn = stack.lambdaApi.invocations.length - handedBefore;
  const load = `${loadAtStart.toFixed(1)} / ${(loadavg()[0] ?? 0).toFixed(1)} on ${cpus().length} cores`;
  return [
    ...report(kinds, cold, warm, { sent, handedOn }),
    info("load average, 1 min, at start / end", load),
  ];
}

function report(
  kinds: Kind[],
  cold: Map<Kind, ChildRun[]>,
  warm: Map<Kind, ChildRun>,
  counts: { sent: number; handedOn: number },
): Row[] {
  const rows: Row[] = [
    info("stand-in latency", `Slack ${SLACK_MS} ms, AWS ${AWS_MS} ms per call`),
    info("handler", "bundled as the stack bundles it, one Node process per cold start"),
  ];
  const runs = [...cold.values(), ...warm.values()].flat();
  for (const kind of kinds) {
    const colds = cold.get(kind) ?? [];
    const coldMs = summarize(colds.map((run) => run.coldMs));
    const warmMs = summarize((warm.get(kind)?.handlerMs ?? []).slice(1));
    rows.push(
      ...latencyRows(`${kind} warm`, warmMs).filter((row) => !row.metric.endsWith("p99")),
      below(`${kind} warm p99`, warmMs.p99, WARM_P99_MS, "ms"),
      info(`${kind} cold p50 (spawn -> answer)`, ms(coldMs.p50)),
      below(`${kind} cold p99 (spawn -> answer)`, coldMs.p99, COLD_MS, "ms"),
      below(`${kind} cold max (spawn -> answer)`, coldMs.max, COLD_MS, "ms"),
      info(`${kind} cold: import of the bundle p50`, ms(summarize(colds.map((run) => run.importMs)).p50)),
      info(
        `${kind} cold: first handler call p50`,
        ms(summarize(colds.map((run) => run.handlerMs[0] ?? 0)).p50),
      ),
    );
  }
  const statuses = runs.flatMap((run) => run.statuses);
  rows.push(
    info(
      "answers with HTTP 200",
      `${statuses.filter((status) => status === 200).length} of ${statuses.length}`,
    ),
    info("requests handed to the worker", `${counts.handedOn} of ${counts.sent}`),
    info("error log lines", String(runs.reduce((n, run) => n + run.errors.length, 0))),
  );
  return rows;
}

/** Signed Function URL events, each with its own trigger and response_url, as Slack sends them. */
class Events {
  private n = 0;

  constructor(
    private readonly stack: LambdaStack,
    private readonly grantId: string,
  ) {}

  of(kind: Kind): ReturnType<typeof functionUrlEvent> {
    const id = `bench${++this.n}`;
    const responseUrl = this.stack.slack.responseUrl(id);
    if (kind === "button click") {
      const payload = blockActionPayload({
        actionId: ACTIONS.approve,
        value: this.grantId,
        userId: PEOPLE.admin.slackId,
        responseUrl,
      });
      return functionUrlEvent(
        signedBlockAction(this.stack.secret, { ...payload, trigger_id: `trigger.${id}` }),
      );
    }
    const text = kind === "form opening" ? "" : `prod ReadOnly 1h bench ${this.n}`;
    const fields = {
      user_id: PEOPLE.dev.slackId,
      text,
      response_url: responseUrl,
      trigger_id: `trigger.${id}`,
    };
    return functionUrlEvent(signedSlashCommand(this.stack.secret, slashCommandFields(fields)));
  }
}

async function pendingGrant(stack: LambdaStack): Promise<string> {
  await stack.slash(PEOPLE.dev, "prod ReadOnly 1h bench click target");
  await stack.runWorker();
  const grant = (await stack.store.byRequester(PEOPLE.dev.slackId, 10)).find((g) => g.status === "pending");
  if (!grant) throw new Error("no pending grant to click on");
  return grant.id;
}

await main();

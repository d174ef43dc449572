import type { FunctionName } from "../../infra/access.js";
import { concurrencyCaps } from "../../infra/concurrency.js";
import { TIMEOUTS } from "../../infra/constructs/functions.js";
import { buildRevokerHandler } from "../../src/entrypoints/lambda/revoker.js";
import { buildWorkerHandler } from "../../src/entrypoints/lambda/worker.js";
import { LAMBDA_READY, type RuntimeMessage, type RuntimeStopped } from "./lambda-process.js";
import { type Handler, LambdaService } from "./lambda-service.js";

// One function of the simulated Lambda in a process of its own (started by LambdaProcess): on AWS each function's
// containers run apart from Identity Center, Slack, whatever invokes them and the other functions, so here the
// function's containers share an event loop with nothing but each other. The environment (endpoints, table,
// config, which function) comes from the parent.

/** A cold start's module import and init, as bench:bundles measures the revoker bundle (about 190–220 ms). */
const COLD_START_MS = 250;

const BUILDS: Partial<Record<FunctionName, () => Promise<unknown>>> = {
  revoker: () => buildRevokerHandler(),
  worker: () => buildWorkerHandler(),
};

const name = process.env.BENCH_LAMBDA_FUNCTION as FunctionName;
const build = BUILDS[name];
if (!build) throw new Error(`BENCH_LAMBDA_FUNCTION is revoker or worker, not ${name}`);

const service = new LambdaService([
  {
    name,
    reserved: concurrencyCaps({})[name] ?? Number.POSITIVE_INFINITY,
    timeoutMs: TIMEOUTS[name].toMilliseconds(),
    build: async () => {
      await new Promise((resolve) => setTimeout(resolve, COLD_START_MS));
      return (await build()) as Handler;
    },
  },
]);

process.on("message", (message: RuntimeMessage) => {
  if (message.type === "invoke") {
    service.invokeAsync(message.fn, message.event);
    return;
  }
  void service.stop().then((dropped) => {
    const stopped: RuntimeStopped = {
      type: "stopped",
      dropped,
      records: service.records,
      throttled: [...service.throttled],
      overran: [...service.overran],
    };
    process.send?.(stopped, () => process.exit(0));
  });
});

process.stdout.write(`${JSON.stringify({ level: "info", msg: LAMBDA_READY })}\n`);

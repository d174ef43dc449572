import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { esbuildOptions, LAMBDA_ENTRIES } from "../../infra/bundling.js";
import { PEOPLE } from "../support/e2e.js";
import { startedForFile } from "../support/hooks.js";
import { functionUrlEvent, LambdaStack } from "../support/lambda.js";
import { signedSlashCommand, slashCommandFields } from "../support/slack.js";

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number }>;

/** The Slack function as deployed: bundled with the stack's esbuild settings, parts of Bolt left out. */
describe("the bundled Slack function", () => {
  const dir = mkdtempSync(join(tmpdir(), "aws-access-bundle-"));
  const stack = startedForFile(new LambdaStack());
  let handler: Handler;

  beforeAll(async () => {
    const outfile = join(dir, "index.mjs");
    await build({ ...esbuildOptions(LAMBDA_ENTRIES.slack, outfile), logLevel: "silent" });
    handler = ((await import(pathToFileURL(outfile).href)) as { handler: Handler }).handler;
  }, 120_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers help and stores a request without the left-out receivers", async () => {
    const { dev } = PEOPLE;
    for (const [id, text] of [
      ["bundle-help", "help"],
      ["bundle-request", "prod ReadOnly 1h from the bundle"],
    ] as const) {
      const fields = slashCommandFields({
        user_id: dev.slackId,
        text,
        response_url: stack.slack.responseUrl(id),
      });
      const answer = await handler(functionUrlEvent(signedSlashCommand(stack.secret, fields)), {});
      expect(answer.statusCode).toBe(200);
    }
    // The bundle answered at ack and handed each request to the worker, which runs the rest.
    await stack.runWorker();
    expect(stack.repliesTo("bundle-help")).toContain("/aws-access");
    const grants = await stack.store.byRequester(dev.slackId, 50);
    expect(grants.map((g) => g.reason)).toContain("from the bundle");
  });
});

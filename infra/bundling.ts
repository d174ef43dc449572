import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import type { BuildOptions } from "esbuild";

/** The three Lambda handler files; tests pass small fixtures instead of the real ones. */
export interface LambdaEntries {
  slack: string;
  worker: string;
  revoker: string;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The real handlers, bundled one per function. */
export const LAMBDA_ENTRIES: LambdaEntries = {
  slack: join(REPO_ROOT, "src/entrypoints/lambda/slack.ts"),
  worker: join(REPO_ROOT, "src/entrypoints/lambda/worker.ts"),
  revoker: join(REPO_ROOT, "src/entrypoints/lambda/revoker.ts"),
};

/** CommonJS dependencies (Bolt, AWS SDK internals) call require(); an ESM bundle has to provide it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __awsAccessCreateRequire } from 'node:module'; const require = __awsAccessCreateRequire(import.meta.url);";

/** Bolt loads every receiver at start; these serve Express and Socket Mode only, which no function runs. */
export const LEFT_OUT_MODULES = ["@slack/socket-mode", "express", "raw-body"];
const NOT_BUNDLED = join(REPO_ROOT, "src/entrypoints/lambda/not-bundled.ts");
const ALIASES = Object.fromEntries(LEFT_OUT_MODULES.map((name) => [name, NOT_BUNDLED]));

/** esbuild settings of every function, as NodejsFunction takes them: everything bundled, nothing from the runtime. */
export const BUNDLING = {
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  format: OutputFormat.ESM,
  target: "node22",
  mainFields: ["module", "main"],
  banner: ESM_REQUIRE_BANNER,
  externalModules: [] as string[],
  esbuildArgs: Object.fromEntries(Object.entries(ALIASES).map(([name, path]) => [`--alias:${name}`, path])),
};

/** The same settings for esbuild's API, as NodejsFunction passes them on its command line (bench/bundles.ts). */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: BUNDLING.target,
    format: "esm",
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    mainFields: BUNDLING.mainFields,
    banner: { js: BUNDLING.banner },
    external: BUNDLING.externalModules,
    alias: ALIASES,
  };
}

import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { ROOT } from "./child.js";

/** The CLI bundled to JS without tsx, as a deployment might run it; under node_modules/.cache so packages resolve. */
export async function bundledEntry(): Promise<string[]> {
  const dir = join(ROOT, "node_modules", ".cache", "aws-access-bench");
  await mkdir(dir, { recursive: true });
  const outfile = join(dir, "cli.mjs");
  await build({
    entryPoints: [join(ROOT, "src", "entrypoints", "cli.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "error",
  });
  return [outfile];
}

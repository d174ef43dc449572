import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A free TCP port on loopback, chosen by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Where the amplify-dynamodb-simulator package keeps Amazon's DynamoDB Local jar; throws when not installed. */
export function dynamoDbLocalDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

export interface DynamoDbLocal {
  endpoint: string;
  /** Its working folder (where it writes its metadata file), removed by `stop`. */
  workDir: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Where the jar is; the installed package's by default. */
  dir?: string;
  /** A free loopback port by default; a given one lets a test restart it where clients expect it. */
  port?: number;
  /** Keep the data in this folder (it survives a restart) instead of in memory. */
  dbPath?: string;
}

/**
 * Starts DynamoDB Local on a loopback port and waits until it answers. It runs in a temporary working folder
 * of its own, removed when it stops, so nothing it writes (its metadata file) lands in the project.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const dir = options.dir ?? dynamoDbLocalDir();
  const port = options.port ?? (await freePort());
  const workDir = mkdtempSync(join(tmpdir(), "dynamodb-local-"));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  const child: ChildProcess = spawn("java", javaArgs(dir, port, options.dbPath), {
    stdio: ["ignore", "ignore", "pipe"],
    cwd: workDir,
  });
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += String(chunk);
  });
  // A process that exits without stopping it (an uncaught error) must not leave Java running.
  const orphanGuard = () => {
    child.kill("SIGKILL");
    removeWorkDir();
  };
  process.once("exit", orphanGuard);
  const stop = () =>
    new Promise<void>((resolve) => {
      process.removeListener("exit", orphanGuard);
      const done = () => {
        removeWorkDir();
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", done);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    });
  const endpoint = `http://127.0.0.1:${port}`;
  await untilAnswering(child, endpoint, stop, () => errors);
  return { endpoint, workDir, stop };
}

/** Java's arguments: the jar with its native libraries, in memory or in `dbPath`, telemetry off. */
function javaArgs(dir: string, port: number, dbPath: string | undefined): string[] {
  const storage = dbPath ? ["-sharedDb", "-dbPath", dbPath] : ["-inMemory"];
  return [
    `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
    "-Xmx512m",
    "-jar",
    join(dir, "DynamoDBLocal.jar"),
    ...storage,
    "-disableTelemetry",
    "-port",
    String(port),
  ];
}

/** Waits until DynamoDB Local answers; stops it and throws with its stderr when Java exits or 60 s pass. */
async function untilAnswering(
  child: ChildProcess,
  endpoint: string,
  stop: () => Promise<void>,
  errors: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`java exited with ${child.exitCode}: ${errors().trim()}`);
    }
    try {
      await (await fetch(endpoint, { method: "POST" })).text();
      return;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer within 60 s: ${errors().trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

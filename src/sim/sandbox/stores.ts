import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { delimiter, dirname, join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoGrantStore } from "../../adapters/dynamodb/store.js";
import { createGrantsTable } from "../../adapters/dynamodb/table.js";
import { MemoryGrantStore } from "../../adapters/memory/store.js";
import type { GrantStore } from "../../app/ports.js";

/** The sandbox's grant store, what it is (for the banner) and how to stop it. */
export interface SandboxStore {
  store: GrantStore;
  description: string;
  close(): Promise<void>;
}

/** Whether an executable of this name is on PATH. */
export function onPath(command: string, path = process.env.PATH ?? ""): boolean {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** DynamoDB Local when Java is there (the same table as production), else the in-memory store. */
export async function openSandboxStore(
  tableName: string,
  say: (line: string) => void,
): Promise<SandboxStore> {
  const memory = (why: string): SandboxStore => ({
    store: new MemoryGrantStore(),
    description: `in memory (${why})`,
    close: async () => {},
  });
  if (!onPath("java")) return memory("java is not on PATH, so no DynamoDB Local");
  let jar: string;
  try {
    jar = jarDir();
  } catch {
    return memory("the DynamoDB Local jar (amplify-dynamodb-simulator) is not installed");
  }
  say("Starting DynamoDB Local…");
  let local: LocalDynamo | undefined;
  try {
    local = await startLocalDynamo(jar);
    const client = new DynamoDBClient({
      endpoint: local.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDSANDBOX", secretAccessKey: "sandbox-secret" },
    });
    await createGrantsTable(client, tableName);
    const running = local;
    return {
      store: new DynamoGrantStore(client, tableName),
      description: `DynamoDB Local at ${local.endpoint}, table ${tableName} (in memory: gone when the sandbox stops)`,
      close: async () => {
        client.destroy();
        await running.stop();
      },
    };
  } catch (error) {
    await local?.stop();
    return memory(`DynamoDB Local did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function jarDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("amplify-dynamodb-simulator/package.json")), "emulator");
}

async function freePort(): Promise<number> {
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

interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts the DynamoDB Local jar in memory on a free loopback port and waits until it answers. */
async function startLocalDynamo(dir: string): Promise<LocalDynamo> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "java",
    [
      `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
      "-Xmx512m",
      "-jar",
      join(dir, "DynamoDBLocal.jar"),
      "-inMemory",
      "-disableTelemetry",
      "-port",
      String(port),
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += String(chunk);
  });
  // A sandbox that exits without stopping (an uncaught error) must not leave Java running.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  const stop = () =>
    new Promise<void>((resolve) => {
      process.removeListener("exit", orphanGuard);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`java exited with ${child.exitCode}: ${errors.trim()}`);
    try {
      await (await fetch(endpoint, { method: "POST" })).text();
      return { endpoint, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error("no answer within 60 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoGrantStore } from "../../adapters/dynamodb/store.js";
import { createGrantsTable } from "../../adapters/dynamodb/table.js";
import { MemoryGrantStore } from "../../adapters/memory/store.js";
import type { GrantStore } from "../../app/ports.js";
import { type DynamoDbLocal, dynamoDbLocalDir, startDynamoDbLocal } from "../dynamodb-local.js";

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
    jar = dynamoDbLocalDir();
  } catch {
    return memory("the DynamoDB Local jar (amplify-dynamodb-simulator) is not installed");
  }
  say("Starting DynamoDB Local…");
  let local: DynamoDbLocal | undefined;
  try {
    local = await startDynamoDbLocal({ dir: jar });
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

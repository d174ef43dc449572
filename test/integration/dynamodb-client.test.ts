import { createServer, type Server, type Socket } from "node:net";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DYNAMODB_TIMEOUTS, dynamoClient } from "../../src/adapters/dynamodb/client.js";
import { StoreUnavailable } from "../../src/adapters/dynamodb/errors.js";
import { DynamoGrantStore } from "../../src/adapters/dynamodb/store.js";

let server: Server | undefined;
const sockets: Socket[] = [];

beforeEach(async () => {
  vi.stubEnv("AWS_REGION", "us-east-1");
  vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
  vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", await silentEndpoint());
});

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An endpoint that accepts connections and never answers: a half-open connection as the client sees it. */
async function silentEndpoint(): Promise<string> {
  server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

describe("the DynamoDB client the entry points build", () => {
  it("has a connection and a request timeout", async () => {
    const client = dynamoClient({ connectionTimeout: 200, requestTimeout: 200 });
    await client.send(new ListTablesCommand({})).catch(() => undefined);
    const handler = client.config.requestHandler as unknown as { httpHandlerConfigs(): object };

    expect(handler.httpHandlerConfigs()).toMatchObject({
      connectionTimeout: 200,
      requestTimeout: 200,
      throwOnRequestTimeout: true,
    });
    expect(DYNAMODB_TIMEOUTS).toEqual({ connectionTimeout: 3_000, requestTimeout: 10_000 });
  });

  it("ends a store call DynamoDB never answers as StoreUnavailable instead of waiting for ever", async () => {
    const store = new DynamoGrantStore(
      dynamoClient({ connectionTimeout: 200, requestTimeout: 200 }),
      "grants",
    );

    await expect(store.get("g-silent")).rejects.toBeInstanceOf(StoreUnavailable);
    expect(sockets.length).toBeGreaterThanOrEqual(1);
  });
});

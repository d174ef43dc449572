import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  forgetSlackSecrets,
  loadSlackSecrets,
  SlackSecretInvalid,
} from "../../../../src/adapters/aws/secrets.js";

/** Secret values by name, served over the Secrets Manager JSON protocol on loopback. */
const secrets = new Map<string, string>();
let calls = 0;
let server: Server;
let client: SecretsManagerClient;

describe("loadSlackSecrets", () => {
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let text = "";
      for await (const chunk of req) text += String(chunk);
      calls += 1;
      const { SecretId } = JSON.parse(text) as { SecretId: string };
      const value = secrets.get(SecretId);
      if (value === undefined) {
        res
          .writeHead(400, { "content-type": "application/x-amz-json-1.1" })
          .end(JSON.stringify({ __type: "ResourceNotFoundException", message: "not found" }));
        return;
      }
      res
        .writeHead(200, { "content-type": "application/x-amz-json-1.1" })
        .end(JSON.stringify({ Name: SecretId, SecretString: value }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = new SecretsManagerClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    secrets.clear();
    calls = 0;
    forgetSlackSecrets();
  });

  it("reads the signing secret and bot token from the JSON secret", async () => {
    secrets.set("aws-access/slack", JSON.stringify({ signingSecret: "s3cr3t", botToken: "xoxb-1" }));

    await expect(loadSlackSecrets(client, "aws-access/slack")).resolves.toEqual({
      signingSecret: "s3cr3t",
      botToken: "xoxb-1",
    });
  });

  it("reads the secret once per cold start", async () => {
    secrets.set("aws-access/slack", JSON.stringify({ signingSecret: "s3cr3t", botToken: "xoxb-1" }));
    await loadSlackSecrets(client, "aws-access/slack");
    await loadSlackSecrets(client, "aws-access/slack");

    expect(calls).toBe(1);
  });

  it.each([
    [{ signingSecret: "s3cr3t" }, /lacks botToken/],
    [{ botToken: "xoxb-1", signingSecret: "" }, /lacks signingSecret/],
    [{}, /lacks signingSecret and botToken/],
  ])("names the missing key in %j without showing any value", async (value, message) => {
    secrets.set("aws-access/slack", JSON.stringify(value));

    const failure = loadSlackSecrets(client, "aws-access/slack");
    await expect(failure).rejects.toBeInstanceOf(SlackSecretInvalid);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.not.toThrow(/s3cr3t|xoxb/);
  });

  it("says so when the secret is not JSON", async () => {
    secrets.set("aws-access/slack", "xoxb-plain-token");

    await expect(loadSlackSecrets(client, "aws-access/slack")).rejects.toThrow(/is not JSON/);
  });

  it("does not remember a failed read, so the next call tries again", async () => {
    await expect(loadSlackSecrets(client, "aws-access/slack")).rejects.toThrow(/ResourceNotFoundException/);
    secrets.set("aws-access/slack", JSON.stringify({ signingSecret: "s3cr3t", botToken: "xoxb-1" }));

    await expect(loadSlackSecrets(client, "aws-access/slack")).resolves.toMatchObject({ botToken: "xoxb-1" });
  });
});

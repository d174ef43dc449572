import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A stand-in for Secrets Manager's GetSecretValue (AWS JSON 1.1): one JSON secret, refusals on demand. */
export class FakeSecretsManager {
  /** Secret ids asked for, in order. */
  readonly asked: string[] = [];
  /** How many of the next calls answer ResourceNotFoundException. */
  failNext = 0;
  /** Every call is answered this many ms late (benchmarks). */
  delayMs = 0;
  private server?: Server;

  constructor(private readonly secrets: Record<string, object>) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk) => {
        text += String(chunk);
      });
      req.on("end", async () => {
        if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
        const { SecretId } = JSON.parse(text || "{}") as { SecretId?: string };
        this.asked.push(String(SecretId));
        const secret = SecretId === undefined ? undefined : this.secrets[SecretId];
        const missing = this.failNext > 0 || secret === undefined;
        if (this.failNext > 0) this.failNext--;
        res
          .writeHead(missing ? 400 : 200, { "content-type": "application/x-amz-json-1.1" })
          .end(
            JSON.stringify(
              missing
                ? { __type: "ResourceNotFoundException", message: "Secrets Manager can't find the secret." }
                : { Name: SecretId, SecretString: JSON.stringify(secret) },
            ),
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

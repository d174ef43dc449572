import type { IncomingMessage, ServerResponse } from "node:http";
import { bodyOf, LoopbackServer } from "./loopback.js";

/** A stand-in for Secrets Manager's GetSecretValue (AWS JSON 1.1): one JSON secret, refusals on demand. */
export class FakeSecretsManager extends LoopbackServer {
  /** Secret ids asked for, in order. */
  readonly asked: string[] = [];
  /** How many of the next calls answer ResourceNotFoundException. */
  failNext = 0;
  /** Every call is answered this many ms late (benchmarks). */
  delayMs = 0;

  constructor(private readonly secrets: Record<string, object>) {
    super();
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await bodyOf(req);
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
  }
}

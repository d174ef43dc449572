import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import type { Logger } from "../../src/app/ports.js";
import { SDK_TIMEOUTS } from "../../src/entrypoints/identity-center.js";
import type { SimFaults, SimSeed } from "../../src/sim/identity-center/index.js";
import { IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";

export interface IcClients {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
}

/**
 * Real SDK clients pointed at `endpoint`, with the production timeouts (or the given ones); SDK retries off so every
 * HTTP call is the adapter's own.
 */
export function icClients(
  endpoint: string,
  options: { maxAttempts?: number; timeouts?: { connectionTimeout: number; requestTimeout: number } } = {},
): IcClients {
  const common = {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDSIMULATOR", secretAccessKey: "simulator-secret" },
    maxAttempts: options.maxAttempts ?? 1,
    requestHandler: { ...(options.timeouts ?? SDK_TIMEOUTS), throwOnRequestTimeout: true },
  };
  return { ssoAdmin: new SSOAdminClient(common), identityStore: new IdentitystoreClient(common) };
}

export interface RunningSimulator extends IcClients {
  sim: IdentityCenterSimulator;
  endpoint: string;
  /** Stops the server and destroys the clients. */
  close(): Promise<void>;
}

/** Starts a simulator on a free loopback port with small delays, plus clients for it. */
export async function startSimulator(
  options: { seed?: SimSeed; faults?: Partial<SimFaults> } = {},
): Promise<RunningSimulator> {
  const sim = new IdentityCenterSimulator({ seed: options.seed, faults: { delayMs: 5, ...options.faults } });
  const server = await sim.start();
  const clients = icClients(server.endpoint);
  return {
    sim,
    endpoint: server.endpoint,
    ...clients,
    close: async () => {
      clients.ssoAdmin.destroy();
      clients.identityStore.destroy();
      sim.reset();
      await server.close();
    },
  };
}

/** A logger that keeps what it was told, for assertions. */
export function recordingLogger(): Logger & {
  lines: Array<{ level: string; msg: string; fields?: object }>;
} {
  const lines: Array<{ level: string; msg: string; fields?: object }> = [];
  return {
    lines,
    info: (msg, fields) => lines.push({ level: "info", msg, fields }),
    warn: (msg, fields) => lines.push({ level: "warn", msg, fields }),
    error: (msg, fields) => lines.push({ level: "error", msg, fields }),
  };
}

import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import type { Logger } from "../../src/app/ports.js";
import type { AssignmentTarget } from "../../src/domain/grant.js";
import { SDK_TIMEOUTS } from "../../src/entrypoints/identity-center.js";
import type { SimFaults, SimSeed } from "../../src/sim/identity-center/index.js";
import { DEFAULT_INSTANCE, IdentityCenterSimulator } from "../../src/sim/identity-center/index.js";
import { PROD, READ_ONLY } from "./example-config.js";

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

/** The input of a Create or DeleteAccountAssignment of ReadOnly in PROD for a principal, as the SDK takes it. */
export function assignmentInput(principalId: string, principalType: "USER" | "GROUP" = "USER") {
  return {
    InstanceArn: DEFAULT_INSTANCE.instanceArn,
    TargetId: PROD,
    TargetType: "AWS_ACCOUNT" as const,
    PermissionSetArn: READ_ONLY,
    PrincipalType: principalType,
    PrincipalId: principalId,
  };
}

/** The SSO Admin calls the simulator saw, by operation, optionally only those with an outcome. */
export function callsOf(ic: RunningSimulator, operation: string, outcome?: string) {
  return ic.sim
    .calls()
    .filter((c) => c.operation === operation && (outcome === undefined || c.outcome === outcome));
}

/** The simulator's record of a user assignment to the target. */
export function userAssignment(t: AssignmentTarget) {
  return {
    principalType: "USER" as const,
    principalId: t.userId,
    accountId: t.accountId,
    permissionSetArn: t.permissionSetArn,
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

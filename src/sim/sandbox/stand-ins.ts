import { IdentitystoreClient } from "@aws-sdk/client-identitystore";
import { SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { IdentityCenterAdapter } from "../../adapters/identity-center/adapter.js";
import { EVENTS_PATH } from "../../adapters/slack/app.js";
import type { Logger } from "../../app/ports.js";
import type { AccessConfig } from "../../domain/config.js";
import { IdentityCenterSimulator } from "../identity-center/index.js";
import { type FakeCall, FakeSlack } from "../slack/fake-slack.js";
import type { SandboxClock } from "../workspace/clock.js";
import type { PanelFeed } from "../workspace/feed.js";
import { Interactions } from "../workspace/interactions.js";
import { WorkspaceServer } from "../workspace/server.js";
import { Workspace } from "../workspace/workspace.js";
import { COMMAND_CHANNEL } from "./payloads.js";
import { exampleRequest, SANDBOX_TZ, type SandboxWorld } from "./seed.js";

/** How long the simulated Identity Center keeps an assignment IN_PROGRESS, so provisioning is visible. */
const SIMULATOR_DELAY_MS = 300;

/** Stops one started part of a sandbox. */
export type Closer = () => Promise<void>;

/** Closes what was started, last first; a part that fails to stop is logged and the others still stop. */
export async function closeAll(closers: Closer[], log: Logger): Promise<void> {
  for (const close of closers.splice(0).reverse()) {
    await close().catch((error: unknown) => log.warn("sandbox: stopping failed", { error: String(error) }));
  }
}

/** The stand-ins for AWS and Slack that the real bot talks to, and the real adapter pointed at the simulator. */
export interface StandIns {
  sim: IdentityCenterSimulator;
  fake: FakeSlack;
  slackApiUrl: string;
  identity: IdentityCenterAdapter;
}

/** Starts the Identity Center simulator and the fake Slack Web API, seeded with the sandbox's people. */
export async function startStandIns(
  world: SandboxWorld,
  about: { clock: SandboxClock; log: Logger; botToken: string; onCall: (call: FakeCall) => void },
  closers: Closer[],
): Promise<StandIns> {
  const sim = new IdentityCenterSimulator({ seed: world.seed, faults: { delayMs: SIMULATOR_DELAY_MS } });
  const simServer = await sim.start();
  closers.push(async () => {
    sim.reset();
    await simServer.close();
  });
  const fake = new FakeSlack({
    users: world.people.map((p) => ({ id: p.slackId, email: p.email, name: p.name, tz: SANDBOX_TZ })),
    token: about.botToken,
    now: () => about.clock.now(),
    onCall: about.onCall,
  });
  const slack = await fake.start();
  closers.push(() => slack.close());
  const identity = identityCenterAt(simServer.endpoint, world, about.clock, about.log, closers);
  return { sim, fake, slackApiUrl: slack.apiUrl, identity };
}

/** The real Identity Center adapter, its SDK clients sent to the simulator. */
function identityCenterAt(
  endpoint: string,
  world: SandboxWorld,
  clock: SandboxClock,
  logger: Logger,
  closers: Closer[],
): IdentityCenterAdapter {
  const common = {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDSANDBOX", secretAccessKey: "sandbox-secret" },
    // The adapter retries with its own backoff and rate limiter.
    maxAttempts: 1,
  };
  const ssoAdmin = new SSOAdminClient(common);
  const identityStore = new IdentitystoreClient(common);
  closers.push(async () => {
    ssoAdmin.destroy();
    identityStore.destroy();
  });
  return new IdentityCenterAdapter({
    ssoAdmin,
    identityStore,
    ...(world.seed.instance ? world.seed.instance : {}),
    clock,
    logger,
    poll: { initialMs: 200, maxMs: 1_000 },
  });
}

/** The workspace page: what people see in the fake Slack, their actions signed and sent to the bot. */
export async function startPage(
  parts: {
    config: AccessConfig;
    world: SandboxWorld;
    fake: FakeSlack;
    clock: SandboxClock;
    panel: PanelFeed;
    botUrl: string;
    signingSecret: string;
    port: number;
  },
  closers: Closer[],
): Promise<{ workspace: Workspace; pageUrl: string }> {
  const { config, world, fake, clock, panel, botUrl, signingSecret } = parts;
  const workspace = new Workspace(fake, world.people, channelsOf(config), {
    tz: SANDBOX_TZ,
    now: () => clock.now(),
  });
  const interactions = new Interactions(workspace, fake, {
    eventsUrl: `${botUrl}${EVENTS_PATH}`,
    signingSecret,
  });
  const example = exampleRequest(config, world.people);
  const server = new WorkspaceServer({
    workspace,
    interactions,
    panel,
    clock,
    botUrl,
    ...(example ? { example: `/aws-access ${example.text}` } : {}),
  });
  const pageUrl = await server.start(parts.port);
  closers.push(() => server.close());
  return { workspace, pageUrl };
}

/** The channels the workspace lists: where commands are typed, where approvals and the audit trail go. */
function channelsOf(config: AccessConfig): Array<{ id: string; name: string }> {
  const ids = [
    COMMAND_CHANNEL,
    config.slack.approvalChannel,
    ...config.rules.map((rule) => rule.channel).filter((c): c is string => Boolean(c)),
    ...(config.slack.auditChannel ? [config.slack.auditChannel] : []),
  ];
  return [...new Set(ids)].map((id) => ({ id, name: id.replace(/^C0?/, "").toLowerCase() }));
}

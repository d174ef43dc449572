import { MemoryGrantStore } from "../../src/adapters/memory/store.js";
import { deliverNotices } from "../../src/app/deliver.js";
import type { AppDeps } from "../../src/app/deps.js";
import { driveGrant } from "../../src/app/sweep.js";
import type { AccessConfig, Rule } from "../../src/domain/config.js";
import { exampleConfig } from "./example-config.js";
import { FakeChat, FakeIdentityCenter, FakeScheduler, ManualClock, MemoryLogger } from "./fakes.js";

/** The Slack team the test app is installed in, as the fake Slack's auth.test says. */
export const SLACK_TEAM = "T0SANDBOX";

/** A rule with the defaults of DESIGN.md; override what the test is about. */
export function aRule(overrides: Partial<Rule> = {}): Rule {
  return {
    name: "prod-admin",
    accounts: ["prod"],
    permissionSets: ["AdministratorAccess", "ReadOnly"],
    autoApprove: false,
    approvers: { groups: ["Organization Administrators"], emails: ["security-lead@example.com"] },
    approvalsRequired: 1,
    allowSelfApproval: false,
    maxDurationSeconds: 4 * 3600,
    channel: "C0PRODADMIN",
    ...overrides,
  };
}

/** People of the examples: in Slack and in Identity Center. */
export const PEOPLE = {
  dev: { slackId: "U0DEV", email: "dev@example.com", userId: "u-dev", groups: ["Engineers"] },
  admin: {
    slackId: "U0ADMIN",
    email: "admin@example.com",
    userId: "u-admin",
    groups: ["Organization Administrators"],
  },
  admin2: {
    slackId: "U0ADMIN2",
    email: "Admin2@Example.com",
    userId: "u-admin2",
    groups: ["Organization Administrators"],
  },
  lead: { slackId: "U0LEAD", email: "security-lead@example.com", userId: "u-lead", groups: [] as string[] },
  outsider: { slackId: "U0OUT", email: "out@example.com", userId: "u-out", groups: [] as string[] },
  ghost: { slackId: "U0GHOST", email: "ghost@example.com", userId: "", groups: [] as string[] },
} as const;

/** Deterministic ids in the grant id alphabet: tstaaaa2, tstaaaa3, … */
export function testId(n: number): string {
  const alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
  let out = "";
  for (let rest = n; out.length < 5; rest = Math.floor(rest / alphabet.length)) {
    out = (alphabet[rest % alphabet.length] ?? "2") + out;
  }
  return `tst${out}`;
}

export interface Harness {
  deps: AppDeps;
  store: MemoryGrantStore;
  identity: FakeIdentityCenter;
  chat: FakeChat;
  scheduler: FakeScheduler;
  clock: ManualClock;
  log: MemoryLogger;
}

/** Use cases wired to in-memory fakes; jobs run inline so tests see their effect at once. */
export function harness(config: AccessConfig = exampleConfig()): Harness {
  const store = new MemoryGrantStore();
  const identity = new FakeIdentityCenter();
  const chat = new FakeChat();
  const scheduler = new FakeScheduler();
  const clock = new ManualClock();
  const log = new MemoryLogger();
  for (const person of Object.values(PEOPLE)) {
    chat.addUser(person.slackId, person.email);
    if (person.userId) identity.addUser(person.email, person.userId, [...person.groups]);
  }
  let seq = 0;
  let delivering = false;
  const deps: AppDeps = {
    config,
    store,
    identity,
    chat,
    scheduler,
    clock,
    log,
    jobs: {
      drive: async (grantId) => {
        await driveGrant(deps, grantId);
      },
    },
    // Notices are delivered inline, so a test sees what Slack was told as soon as the use case returns.
    notices: {
      kick: async () => {
        if (delivering) return;
        delivering = true;
        try {
          while ((await deliverNotices(deps)).more) {
            // Another page is due.
          }
        } finally {
          delivering = false;
        }
      },
    },
    newId: () => testId(++seq),
    installation: { teamId: SLACK_TEAM },
  };
  return { deps, store, identity, chat, scheduler, clock, log };
}

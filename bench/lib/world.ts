import type { SimSeed } from "../../src/sim/identity-center/index.js";
import type { FakeSlackUser } from "../../src/sim/slack/fake-slack.js";
import { e2eSeed, PEOPLE } from "../../test/support/e2e.js";
import { AS_IN_DESIGN, exampleConfigYaml } from "../../test/support/example-config.js";

/** The DESIGN.md example config as access.yml, on the simulator's default instance (the one e2eSeed builds). */
export const CONFIG_YAML = exampleConfigYaml(AS_IN_DESIGN);

/** A person in Slack and in Identity Center; `prefix` keeps populations apart. */
export interface BenchUser {
  slackId: string;
  email: string;
  userId: string;
}

export function benchUser(prefix: "B" | "M", n: number): BenchUser {
  const tag = String(n).padStart(5, "0");
  return {
    slackId: `U0${prefix}${tag}`,
    email: `${prefix.toLowerCase()}${tag}@example.com`,
    userId: `u-${prefix}${tag}`,
  };
}

/** The end-to-end people and baseline, plus `extra` users. */
export function worldSeed(extra: BenchUser[] = []): SimSeed {
  const seed = e2eSeed();
  return {
    ...seed,
    users: [
      ...(seed.users ?? []),
      ...extra.map((user) => ({ id: user.userId, userName: user.slackId, emails: [user.email] })),
    ],
  };
}

/** Slack profiles of the end-to-end people plus `extra` users. */
export function slackUsers(extra: BenchUser[] = []): FakeSlackUser[] {
  return [...Object.values(PEOPLE), ...extra].map((person) => ({
    id: person.slackId,
    email: person.email,
    tz: "Europe/Berlin",
  }));
}

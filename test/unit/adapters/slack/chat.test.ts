import { describe, expect, it } from "vitest";
import { SlackChat } from "../../../../src/adapters/slack/chat.js";
import type { WebClient } from "../../../../src/adapters/slack/client.js";
import { MemoryLogger } from "../../../support/fakes.js";

/** A Web API client that answers users.info and users.lookupByEmail from the id, and counts the calls. */
function chatOf(maxCachedUsers: number) {
  const calls: string[] = [];
  const clock = { at: 1_000_000 };
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(`users.info ${user}`);
        return {
          ok: true,
          user: { id: user, tz: "Europe/Paris", profile: { email: `${user}@example.com` } },
        };
      },
      lookupByEmail: async ({ email }: { email: string }) => {
        calls.push(`users.lookupByEmail ${email}`);
        return { ok: true, user: { id: email.split("@")[0]?.toUpperCase() } };
      },
    },
  } as unknown as WebClient;
  const chat = new SlackChat(client, new MemoryLogger(), {
    now: () => clock.at,
    userTtlMs: 600_000,
    maxCachedUsers,
  });
  return { calls, clock, chat };
}

describe("SlackChat user caches", () => {
  it("asks again for the user looked up longest ago once more users than the bound were looked up", async () => {
    const { calls, chat } = chatOf(2);
    for (const id of ["U1", "U2", "U3", "U1", "U3"]) await chat.user(id);
    expect(calls).toEqual(["users.info U1", "users.info U2", "users.info U3", "users.info U1"]);
    expect(await chat.user("U3")).toEqual({ slackId: "U3", email: "U3@example.com", tz: "Europe/Paris" });
  });

  it("keeps emails looked up within the bound", async () => {
    const { calls, chat } = chatOf(2);
    for (const email of ["a@example.com", "b@example.com", "c@example.com", "A@example.com"]) {
      await chat.userIdByEmail(email);
    }
    expect(calls).toEqual([
      "users.lookupByEmail a@example.com",
      "users.lookupByEmail b@example.com",
      "users.lookupByEmail c@example.com",
      "users.lookupByEmail A@example.com",
    ]);
  });

  it("asks again once a cached user has expired", async () => {
    const { calls, clock, chat } = chatOf(10);
    await chat.user("U1");
    clock.at += 599_999;
    await chat.user("U1");
    clock.at += 1;
    await chat.user("U1");
    expect(calls).toEqual(["users.info U1", "users.info U1"]);
  });
});

import { describe, expect, it } from "vitest";
import { handleCommand } from "../../../src/app/command.js";
import { RequestRefused } from "../../../src/domain/errors.js";
import { harness, PEOPLE } from "../../support/app-harness.js";

const { dev } = PEOPLE;

describe("handle command", () => {
  it.each(["prod Admin 4x fixing", "prdo ReadOnly 1h x", "list extra", "revoke", "extend abcdefgh"])(
    "refuses %j with a message, records it and changes nothing",
    async (text) => {
      const h = harness();
      await expect(handleCommand(h.deps, dev.slackId, text)).rejects.toBeInstanceOf(RequestRefused);
      expect(await h.store.byRequester(dev.slackId)).toEqual([]);
      expect(h.chat.posted).toEqual([]);
    },
  );

  it("requests access from the command text", async () => {
    const h = harness();
    const result = await handleCommand(h.deps, dev.slackId, "PROD administratoraccess 2h fixing INC-123");
    expect(result).toMatchObject({
      kind: "requested",
      grants: [{ durationSeconds: 7200, reason: "fixing INC-123" }],
    });
  });

  it("opens the modal when arguments are missing", async () => {
    const h = harness();
    expect(await handleCommand(h.deps, dev.slackId, "prod")).toEqual({
      kind: "modal",
      prefill: { accounts: ["prod"] },
    });
  });
});

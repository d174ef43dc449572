import { describe, expect, it } from "vitest";
import { type Actor, checkRequestForm } from "../../../../src/domain/policy.js";
import { engineer, HOUR, mixed } from "../../../support/policy-fixtures.js";

describe("checkRequestForm", () => {
  const form = { accounts: ["prod"], permissionSets: ["ReadOnly"], duration: "", start: "", reason: "INC-1" };

  it("passes a good form on as a request", () => {
    expect(checkRequestForm(mixed, engineer, { ...form, duration: "2h", start: "tomorrow 09:00" })).toEqual({
      ok: true,
      ask: {
        account: ["prod"],
        permissionSet: ["ReadOnly"],
        durationSeconds: 2 * HOUR,
        start: { kind: "at", day: "tomorrow", time: "09:00" },
        reason: "INC-1",
      },
    });
  });

  it.each<[string, Partial<typeof form>, Actor | undefined, object]>([
    [
      "no reason",
      { reason: " " },
      engineer,
      { reason: "A reason is required: say why you need the access." },
    ],
    ["no account", { accounts: [] }, engineer, { accounts: "Choose at least one account." }],
    [
      "a bad duration",
      { duration: "4x" },
      engineer,
      { duration: expect.stringContaining("'4x' is not a duration") },
    ],
    ["a bad start", { start: "25:00" }, engineer, { start: expect.stringContaining("not a time of day") }],
    [
      "eleven parts",
      { accounts: ["prod", "staging"], permissionSets: ["a", "b", "c", "d", "e", "f"] },
      engineer,
      { accounts: expect.stringContaining("make 12") },
    ],
    [
      "a duration above the rule's maximum",
      { duration: "5h" },
      engineer,
      { duration: expect.stringContaining("`4h` maximum") },
    ],
    [
      "a part the requester may not have",
      { accounts: ["prod", "mgmt"] },
      engineer,
      { accounts: expect.stringContaining("`ReadOnly` in `mgmt`: `mgmt` is the management account") },
    ],
  ])("points at %s", (_what, change, actor, errors) => {
    expect(checkRequestForm(mixed, actor, { ...form, ...change })).toEqual({ ok: false, errors });
  });

  it("leaves the rules to the request when the form does not know the requester", () => {
    const result = checkRequestForm(mixed, undefined, { ...form, duration: "5h" });
    expect(result.ok).toBe(true);
  });
});

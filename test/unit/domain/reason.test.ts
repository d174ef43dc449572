import { describe, expect, it } from "vitest";
import { checkRequestForm } from "../../../src/domain/policy.js";
import { reasonProblem } from "../../../src/domain/reason.js";
import { config, prodAdmin } from "../../support/policy-fixtures.js";

const form = { accounts: ["prod"], permissionSets: ["ReadOnly"], duration: "", start: "" };

describe("reasonProblem", () => {
  it.each([
    ["an empty required reason", "", true, "A reason is required: say why you need the access."],
    ["an empty optional reason", "", false, undefined],
    ["a reason of 500 characters", "x".repeat(500), true, undefined],
    ["a reason of 501 characters", "x".repeat(501), false, "The reason is 501 characters; at most 500."],
    ["a reason counted in characters, not UTF-16 units", "🔑".repeat(500), true, undefined],
  ])("answers %s", (_, reason, required, expected) => {
    expect(reasonProblem(reason, { required })).toBe(expected);
  });

  it("gives the request form the words the request use case refuses with", () => {
    const empty = checkRequestForm(config([prodAdmin]), undefined, { ...form, reason: "  " });
    const long = checkRequestForm(config([prodAdmin]), undefined, { ...form, reason: "y".repeat(501) });
    expect([empty, long]).toEqual([
      { ok: false, errors: { reason: reasonProblem("", { required: true }) } },
      { ok: false, errors: { reason: reasonProblem("y".repeat(501), { required: true }) } },
    ]);
  });
});

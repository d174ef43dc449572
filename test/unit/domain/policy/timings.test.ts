import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../../src/config/load.js";
import { timingsFor } from "../../../../src/domain/policy.js";
import { edited, problemsOf } from "../../../support/config-fixtures.js";

describe("timings per rule", () => {
  it("reads requestTimeout, reminderBefore and approverReminder on a rule, and the approvers' reminder default", () => {
    const config = parseConfig(
      edited([
        [["rules", 1, "requestTimeout"], "30m"],
        [["rules", 1, "reminderBefore"], 0],
        [["rules", 1, "approverReminder"], "5m"],
      ]),
    );
    expect(config.defaults.approverReminderSeconds).toBe(1800);
    expect(timingsFor(config, config.rules[1]?.name)).toEqual({
      requestTimeoutSeconds: 1800,
      reminderBeforeSeconds: 0,
      approverReminderSeconds: 300,
    });
    expect(timingsFor(config, config.rules[0])).toEqual({
      requestTimeoutSeconds: config.defaults.requestTimeoutSeconds,
      reminderBeforeSeconds: config.defaults.reminderBeforeSeconds,
      approverReminderSeconds: 1800,
    });
    expect(timingsFor(config, "no-such-rule").approverReminderSeconds).toBe(1800);
  });

  it("turns the approvers' reminder off with 0 and refuses what is not a duration", () => {
    expect(
      parseConfig(edited([[["defaults"], { approverReminder: 0 }]])).defaults.approverReminderSeconds,
    ).toBe(0);
    expect(problemsOf(edited([[["rules", 1, "approverReminder"], "soon"]]))).toEqual([
      expect.stringMatching(/^rules\[1\]\.approverReminder: 'soon' is not a duration.*or 0 for off$/),
    ]);
  });
});

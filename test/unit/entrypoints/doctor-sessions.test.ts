import { describe, expect, it } from "vitest";
import { rulesOffering, sessionFinding } from "../../../src/entrypoints/doctor-sessions.js";
import { aRule } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";

const HOUR = 3600;

const config = exampleConfig({
  rules: [
    aRule({ name: "admin-short", permissionSets: ["AdministratorAccess"], maxDurationSeconds: HOUR / 2 }),
    aRule({ name: "readers", permissionSets: ["readonly"], maxDurationSeconds: 8 * HOUR }),
    aRule({ name: "anything", permissionSets: ["*"], maxDurationSeconds: 2 * HOUR }),
  ],
});

describe("sessionFinding", () => {
  it("finds the rules offering a permission set by name, case-insensitively, and through *", () => {
    expect(rulesOffering(config, "ReadOnly").map((r) => r.name)).toEqual(["readers", "anything"]);
    expect(rulesOffering(config, "Billing").map((r) => r.name)).toEqual(["anything"]);
  });

  it.each([
    { name: "ReadOnly", duration: "PT1H" },
    { name: "Billing", duration: "PT45M" },
  ])("passes $name with sessions of $duration", ({ name, duration }) => {
    expect(sessionFinding(config, name, duration)).toEqual({
      level: "ok",
      what: expect.stringContaining(duration),
    });
  });

  it.each([
    { name: "ReadOnly", duration: "PT4H", over: "longer than 1h and rule anything's maxDuration of 2h" },
    { name: "Billing", duration: "PT90M", over: "longer than 1h;" },
    {
      name: "AdministratorAccess",
      duration: "PT45M",
      over: "longer than rule admin-short's maxDuration of 30m;",
    },
    {
      name: "AdministratorAccess",
      duration: "PT12H",
      over: "longer than 1h and rule admin-short's maxDuration of 30m and rule anything's maxDuration of 2h",
    },
  ])(
    "warns about $name with sessions of $duration, naming the limits and how to shorten it",
    ({ name, duration, over }) => {
      const finding = sessionFinding(config, name, duration, `${name}-in-ic`);
      expect(finding.level).toBe("WARN");
      expect(finding.what).toContain(`permission set ${name} (offered by `);
      expect(finding.what).toContain(over);
      expect(finding.what).toContain(`Permission sets > ${name}-in-ic > Edit > Session duration`);
    },
  );

  it("says when a session duration cannot be read", () => {
    expect(sessionFinding(config, "ReadOnly", "forever")).toEqual({
      level: "WARN",
      what: "permission set ReadOnly: session duration 'forever' cannot be read",
    });
  });
});

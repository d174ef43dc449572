import { describe, expect, it } from "vitest";
import { ConfigNotFound } from "../../../src/config/errors.js";
import { loadConfig, parseConfig } from "../../../src/config/load.js";
import { edited, fixture, VALID } from "../../support/config-fixtures.js";

describe("parseConfig", () => {
  it("loads the valid fixture, where the management account has an alias and is covered by a * rule", () => {
    const config = parseConfig(VALID);
    expect(config.accounts.mgmt).toEqual({ id: "111111111111", name: "Management" });
    expect(config.rules[0]?.accounts).toEqual(["*"]);
    expect(config.identityCenter.managementAccountId).toBe("111111111111");
  });

  it("applies rule defaults and converts durations to seconds", () => {
    const rule = parseConfig(VALID).rules[1];
    expect(rule).toEqual({
      name: "prod-admin",
      accounts: ["prod"],
      permissionSets: ["AdministratorAccess"],
      autoApprove: false,
      approvers: { groups: ["Organization Administrators"], emails: [] },
      approvalsRequired: 1,
      allowSelfApproval: false,
      maxDurationSeconds: 4 * 3600,
    });
  });

  it.each<[string, unknown, number]>([
    ["0 as a number", 0, 0],
    ["0 as text", "0", 0],
    ["a duration", "30m", 1800],
  ])("reads reminderBefore given as %s", (_case, value, seconds) => {
    const config = parseConfig(edited([[["defaults"], { reminderBefore: value }]]));
    expect(config.defaults.reminderBeforeSeconds).toBe(seconds);
  });

  it("accepts a 12-digit account id written as a YAML number", () => {
    const config = parseConfig(edited([[["accounts", "prod", "id"], 222222222222]]));
    expect(config.accounts.prod?.id).toBe("222222222222");
  });
});

describe("loadConfig", () => {
  it("loads the example config shipped with the project", async () => {
    const config = await loadConfig(new URL("../../../access.example.yml", import.meta.url).pathname);
    expect(config.defaults).toEqual({
      durationSeconds: 3600,
      minDurationSeconds: 900,
      requestTimeoutSeconds: 7200,
      reminderBeforeSeconds: 600,
      approverReminderSeconds: 1800,
    });
    expect(config.rules.map((rule) => rule.name)).toEqual(["staging-self-service", "prod-admin"]);
    expect(config.rules[1]?.approvers?.groups).toEqual(["Organization Administrators"]);
    expect(config.rules[1]?.channel).toBe("C0PRODADMIN");
    expect(config.rules[0]?.maxDurationSeconds).toBe(8 * 3600);
  });

  it("applies every default to a minimal config", async () => {
    const config = await loadConfig(fixture("minimal.yml"));
    expect(config.identityCenter).toEqual({});
    expect(config.defaults.durationSeconds).toBe(3600);
    expect(config.accounts.sandbox?.id).toBe("444444444444");
    expect(config.rules[0]).toMatchObject({
      autoApprove: false,
      approvalsRequired: 1,
      maxDurationSeconds: 7200,
    });
  });

  it("refuses a missing file with a hint to copy the example", async () => {
    const missing = fixture("absent.yml");
    await expect(loadConfig(missing)).rejects.toThrow(ConfigNotFound);
    await expect(loadConfig(missing)).rejects.toThrow(
      `no access config at ${missing}: copy access.example.yml`,
    );
  });

  it("refuses a file with a syntax error, naming the file, line and column", async () => {
    await expect(loadConfig(fixture("syntax-error.yml"))).rejects.toThrow(
      /syntax-error\.yml .*\n.*line 5, column 1/,
    );
  });

  it("reports every problem of an invalid file at once, with a stable code", async () => {
    const rejection = expect(loadConfig(fixture("invalid.yml"))).rejects;
    await rejection.toMatchObject({
      name: "ConfigInvalid",
      code: "CONFIG_INVALID",
      problems: [
        expect.stringMatching(/^slack\.approvalChannel: /),
        expect.stringMatching(/^accounts\.prod\.id: 22222222222 is not a 12-digit account id; quote/),
        expect.stringMatching(/^rules\[0\]\.maxDuration: '4x'/),
      ],
    });
  });
});

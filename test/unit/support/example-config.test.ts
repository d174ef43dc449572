import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.js";
import {
  AS_IN_DESIGN,
  exampleConfig,
  exampleConfigYaml,
  exampleRule,
  MANAGEMENT,
  minuteGrantsConfigYaml,
} from "../../support/example-config.js";

/** The one example config the tests, the benchmarks and the CLI runs share, as an object and as access.yml. */
describe("example config", () => {
  it.each([
    ["the whole example", {}],
    ["the example as DESIGN.md writes it", AS_IN_DESIGN],
    ["a rule with its own timings", { rules: [exampleRule("anything", { requestTimeoutSeconds: 1800 })] }],
  ])("writes %s as access.yml that the loader reads back to the same config", (_, overrides) => {
    expect(parseConfig(exampleConfigYaml(overrides))).toEqual(exampleConfig(overrides));
  });

  it("names the management account under an alias and covers every account with its last rule", () => {
    const config = exampleConfig();
    expect(config.accounts.root).toEqual({ id: MANAGEMENT });
    expect(config.rules.map((rule) => rule.name)).toEqual(["staging-self-service", "prod-admin", "anything"]);
    expect(config.rules.at(-1)?.accounts).toEqual(["*"]);
  });

  it("writes minute-long grants with the reminder off", () => {
    const config = parseConfig(minuteGrantsConfigYaml());
    expect(config.defaults).toMatchObject({ durationSeconds: 60, reminderBeforeSeconds: 0 });
    expect(Object.keys(config.accounts)).toEqual(["prod"]);
  });
});

import { describe, expect, it } from "vitest";
import { logLevelOf } from "../../infra/stack.js";

describe("logLevelOf", () => {
  it.each([
    [undefined, "INFO"],
    ["warn", "WARN"],
    ["DEBUG", "DEBUG"],
    ["silent", "SILENT"],
  ])("takes %s as the functions' log level %s", (given, level) => {
    expect(logLevelOf(given)).toBe(level);
  });

  it.each(["verbose", "WARNING", "1"])("refuses %s at synth time, naming the levels it takes", (given) => {
    expect(() => logLevelOf(given)).toThrow(`logLevel '${given}' is not a log level (use TRACE, DEBUG, INFO`);
  });
});

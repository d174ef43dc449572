import { describe, expect, it } from "vitest";
import type { Logger } from "../../src/app/ports.js";

/** A logger under test and the JSON lines it has written so far. */
export interface LoggerUnderTest {
  log: Logger;
  lines(): Record<string, unknown>[];
}

/** What every Logger adapter promises about fields: secrets never written, errors as plain data. */
export function loggerContract(name: string, make: () => LoggerUnderTest): void {
  describe(`${name} (logger contract)`, () => {
    it("redacts fields that look like secrets, however deep", () => {
      const { log, lines } = make();
      log.warn("slack call", {
        botToken: "xoxb-123",
        nested: { signingSecret: "abc", channel: "C1" },
        headers: [{ Authorization: "Bearer q", cookie: "s=1" }],
      });

      const text = JSON.stringify(lines());
      expect(text).not.toContain("xoxb-123");
      expect(text).not.toContain("abc");
      expect(text).not.toContain("Bearer q");
      expect(lines()[0]).toMatchObject({
        botToken: "[redacted]",
        nested: { signingSecret: "[redacted]", channel: "C1" },
        headers: [{ Authorization: "[redacted]", cookie: "[redacted]" }],
      });
    });

    it("writes errors as name, message, code and cause", () => {
      const { log, lines } = make();
      const cause = Object.assign(new Error("throttled"), { name: "ThrottlingException" });
      const error = Object.assign(new Error("could not revoke", { cause }), { code: "ASSIGNMENT_FAILED" });
      log.error("revoke failed", { error });

      expect(lines()[0]?.error).toEqual({
        name: "Error",
        message: "could not revoke",
        code: "ASSIGNMENT_FAILED",
        cause: { name: "ThrottlingException", message: "throttled" },
      });
    });

    it("writes a bigint as its digits", () => {
      const { log, lines } = make();
      log.info("counted", { total: 12n });

      expect(lines()[0]?.total).toBe("12");
    });
  });
}

import { describe, expect, it } from "vitest";
import { readAuditOptions } from "../../../src/entrypoints/audit.js";

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

describe("readAuditOptions", () => {
  it.each([
    { values: {}, from: NOW - 7 * 86_400_000, to: NOW },
    { values: { since: "12h" }, from: NOW - 12 * 3_600_000, to: NOW },
    {
      values: { since: "2026-11-01", until: "2026-11-02" },
      from: Date.UTC(2026, 10, 1),
      to: Date.UTC(2026, 10, 3) - 1,
    },
    { values: { since: "2026-11-01T09:30Z", until: "now" }, from: Date.UTC(2026, 10, 1, 9, 30), to: NOW },
    { values: { since: "2026-11-01T09:30+02:00" }, from: Date.UTC(2026, 10, 1, 7, 30), to: NOW },
    { values: { since: "2026-11-01T09:30" }, from: Date.UTC(2026, 10, 1, 9, 30), to: NOW },
    { values: { grant: "`K7M2X9QA`" }, from: 0, to: Number.MAX_SAFE_INTEGER },
  ])("reads $values as a range", ({ values, from, to }) => {
    expect(readAuditOptions(values, NOW)).toMatchObject({ ok: true, request: { from, to }, format: "table" });
  });

  it("passes the filters and format on", () => {
    const read = readAuditOptions(
      { user: "Dev@Example.com", account: "prod", format: "jsonl", grant: "k7m2x9qa" },
      NOW,
    );
    expect(read).toMatchObject({
      ok: true,
      format: "jsonl",
      request: { requester: "Dev@Example.com", account: "prod", grantId: "k7m2x9qa" },
    });
  });

  it.each([
    {
      values: { since: "7x" },
      error: "--since '7x' is not a duration back from now (7d, 12h, 90m) or an ISO date",
    },
    { values: { until: "2026-13-01" }, error: "--until '2026-13-01' is not a duration back from now" },
    { values: { since: "yesterday" }, error: "--since 'yesterday' is not" },
    {
      values: { since: "1d", until: "2d" },
      error: "--since (2026-11-29T12:00:00.000Z) is after --until (2026-11-28T12:00:00.000Z)",
    },
    { values: { user: "dev" }, error: "--user 'dev' is not an email address, e.g. dev@example.com" },
    { values: { grant: "INC-123" }, error: "--grant 'INC-123' is not a grant id" },
    { values: { format: "cvs" }, error: "unknown --format 'cvs'; did you mean csv? (use table, csv, jsonl)" },
    { values: { format: "xml" }, error: "unknown --format 'xml' (use table, csv, jsonl)" },
  ])("refuses $values saying what is allowed", ({ values, error }) => {
    const read = readAuditOptions(values, NOW);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toContain(error);
  });
});

import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../src/app/ports.js";
import { readAuditOptions } from "../../../src/entrypoints/audit.js";
import { auditTable, csvHeader, csvRecords, jsonLines } from "../../../src/entrypoints/audit-format.js";
import { anAuditEvent } from "../../support/grant-builder.js";

const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

function entry(overrides: Partial<AuditEntry["event"]> = {}, about: Partial<AuditEntry> = {}): AuditEntry {
  return {
    event: anAuditEvent({
      grantId: "k7m2x9qa",
      at: NOW,
      actor: "U0DEV",
      reason: "fixing INC-1",
      ...overrides,
    }),
    requester: "dev@example.com",
    account: "prod",
    permissionSet: "ReadOnly",
    ...about,
  };
}

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

describe("audit output", () => {
  it("aligns the table's columns, shows a dash for what is absent and keeps reasons on one line", () => {
    const lines = auditTable([
      entry(),
      entry(
        { grantId: undefined, type: "refused", reason: "no rule\nfor\u001b[31mred" },
        { requester: undefined },
      ),
    ]);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      "time                      actor  action     grant     account  permission set  requester        reason",
    );
    expect(lines[1]).toBe(
      "2026-11-30T12:00:00.000Z  U0DEV  requested  k7m2x9qa  prod     ReadOnly        dev@example.com  fixing INC-1",
    );
    expect(lines[2]).toContain(
      "refused    -         prod     ReadOnly        -                no rule for\ufffd[31mred",
    );
  });

  it("writes RFC 4180 CSV: quoted commas, quotes and line breaks, CRLF records, formulas defused", () => {
    const text =
      csvHeader() +
      csvRecords([
        entry({ reason: 'deploy, then "verify"\nsecond line' }),
        entry({ reason: "=HYPERLINK(1)" }),
      ]);
    expect(text).toBe(
      "time,actor,action,grant,account,permission_set,requester,reason,status\r\n" +
        '2026-11-30T12:00:00.000Z,U0DEV,requested,k7m2x9qa,prod,ReadOnly,dev@example.com,"deploy, then ""verify""\nsecond line",pending\r\n' +
        "2026-11-30T12:00:00.000Z,U0DEV,requested,k7m2x9qa,prod,ReadOnly,dev@example.com,'=HYPERLINK(1),pending\r\n",
    );
  });

  it("writes one JSON object per line with the event and whom it concerns", () => {
    const lines = jsonLines([entry({ detail: { code: "NO_RULE" } }), entry()]).split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      time: "2026-11-30T12:00:00.000Z",
      ...entry({ detail: { code: "NO_RULE" } }).event,
      requester: "dev@example.com",
      account: "prod",
      permissionSet: "ReadOnly",
    });
  });
});

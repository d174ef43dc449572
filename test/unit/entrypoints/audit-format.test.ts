import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../src/app/ports.js";
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

import { describe, expect, it } from "vitest";
import { parseStartText, resolveStart, type StartSpec } from "../../../src/domain/duration.js";

/** Friday 27 November 2026, 09:00 UTC: 10:00 in Berlin, 04:00 in New York. */
const NOW = Date.UTC(2026, 10, 27, 9, 0);
const utc = (month: number, day: number, hour: number, minute = 0) =>
  Date.UTC(2026, month - 1, day, hour, minute);

describe("resolveStart", () => {
  it.each<[string, StartSpec, string | undefined, number]>([
    ["a time later today", { kind: "at", time: "14:00" }, "Europe/Berlin", utc(11, 27, 13)],
    [
      "a time already past today as tomorrow's",
      { kind: "at", time: "09:00" },
      "Europe/Berlin",
      utc(11, 28, 8),
    ],
    ["tomorrow's time", { kind: "at", day: "tomorrow", time: "09:00" }, "Europe/Berlin", utc(11, 28, 8)],
    ["today's time", { kind: "at", day: "today", time: "23:59" }, "Europe/Berlin", utc(11, 27, 22, 59)],
    ["a date and time", { kind: "at", day: "2026-12-01", time: "09:30" }, "Europe/Berlin", utc(12, 1, 8, 30)],
    ["a time in New York", { kind: "at", time: "09:00" }, "America/New_York", utc(11, 27, 14)],
    ["a time in UTC when the zone is unknown", { kind: "at", time: "14:00" }, undefined, utc(11, 27, 14)],
    [
      "a time in UTC when the zone is not a zone",
      { kind: "at", time: "14:00" },
      "Mars/Olympus",
      utc(11, 27, 14),
    ],
    ["a relative start", { kind: "in", seconds: 1800 }, "Europe/Berlin", NOW + 1800_000],
    ["seven days ahead exactly", { kind: "in", seconds: 7 * 86_400 }, undefined, NOW + 7 * 86_400_000],
  ])("reads %s", (_what, start, zone, expected) => {
    expect(resolveStart(start, NOW, zone)).toEqual({ ok: true, at: expected });
  });

  it.each<[string, StartSpec, string]>([
    ["a time already past today", { kind: "at", day: "today", time: "09:30" }, "already past"],
    ["a past date", { kind: "at", day: "2026-11-01", time: "09:30" }, "already past"],
    [
      "a date more than seven days ahead",
      { kind: "at", day: "2026-12-05", time: "09:30" },
      "more than 7 days",
    ],
    ["a relative start more than seven days ahead", { kind: "in", seconds: 8 * 86_400 }, "more than 7 days"],
  ])("refuses %s", (_what, start, error) => {
    expect(resolveStart(start, NOW, "Europe/Berlin")).toEqual({
      ok: false,
      error: expect.stringContaining(error),
    });
  });

  it("names the time zone the time was read in when refusing it", () => {
    const result = resolveStart({ kind: "at", day: "today", time: "08:00" }, NOW, "Europe/Berlin");
    expect(result).toEqual({ ok: false, error: expect.stringContaining("at today 08:00 (Europe/Berlin)") });
  });

  it("moves a time that does not exist (the clocks go forward) to the first one after it", () => {
    const before = Date.UTC(2026, 2, 28, 12, 0);
    const result = resolveStart({ kind: "at", day: "2026-03-29", time: "02:30" }, before, "Europe/Berlin");
    expect(result).toEqual({ ok: true, at: Date.UTC(2026, 2, 29, 1, 30) });
  });
});

describe("parseStartText", () => {
  it.each<[string, StartSpec | undefined]>([
    ["", undefined],
    ["   ", undefined],
    ["14:00", { kind: "at", time: "14:00" }],
    ["at 9:05", { kind: "at", time: "09:05" }],
    ["tomorrow 09:00", { kind: "at", day: "tomorrow", time: "09:00" }],
    ["At TOMORROW 09:00", { kind: "at", day: "tomorrow", time: "09:00" }],
    ["2026-12-01 09:30", { kind: "at", day: "2026-12-01", time: "09:30" }],
    ["in 30m", { kind: "in", seconds: 1800 }],
    ["IN 1h30m", { kind: "in", seconds: 5400 }],
  ])("reads %j", (text, start) => {
    expect(parseStartText(text)).toEqual({ ok: true, value: start });
  });

  it.each([
    ["soon", "is not a start"],
    ["25:00", "is not a time of day"],
    ["2026-02-30 09:00", "is not a date"],
    ["tomorrow", "is not a start"],
    ["in 4x", "is not a duration"],
    ["next week 09:00", "is not a start"],
  ])("refuses %j", (text, error) => {
    expect(parseStartText(text)).toEqual({ ok: false, error: expect.stringContaining(error) });
  });
});

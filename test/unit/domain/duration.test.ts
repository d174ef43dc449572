import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../src/domain/duration.js";

const M = 60;
const H = 3600;
const D = 24 * H;

describe("parseDuration", () => {
  it.each<[string, number]>([
    ["30m", 30 * M],
    ["4h", 4 * H],
    ["1h30m", 90 * M],
    ["90m", 90 * M],
    ["1d", D],
    ["1d2h30m", D + 2 * H + 30 * M],
    ["2d12h", 2 * D + 12 * H],
    ["4H", 4 * H],
    ["1D2H", D + 2 * H],
    ["  4h  ", 4 * H],
    ["366d", 366 * D],
    ["PT4H", 4 * H],
    ["pt30m", 30 * M],
    ["PT1H30M", 90 * M],
    ["PT1.5H", 90 * M],
    ["P1D", D],
    ["p1dt2h", D + 2 * H],
    ["P1W", 7 * D],
  ])("reads %j as %i seconds", (text, seconds) => {
    expect(parseDuration(text)).toEqual({ ok: true, seconds });
  });

  it.each<[string, string]>([
    ["4x", "'4x' is not a duration (use 30m, 4h, 1h30m, 1d or PT4H)"],
    ["4", "'4' is not a duration (use"],
    ["1h30", "'1h30' is not a duration (use"],
    ["30m1h", "'30m1h' is not a duration (use"],
    ["1m1m", "'1m1m' is not a duration (use"],
    ["1.5h", "'1.5h' is not a duration (use"],
    ["-1h", "'-1h' is not a duration (use"],
    ["1e3m", "'1e3m' is not a duration (use"],
    ["", "'' is not a duration (use"],
    ["   ", "'' is not a duration (use"],
    ["h", "'h' is not a duration (use"],
    ["PT", "'PT' is not a duration (use"],
    ["P1", "'P1' is not a duration (use"],
    ["P1M", "'P1M' is not a duration (use"],
    ["P1Y", "'P1Y' is not a duration (use"],
    ["P1.0M", "'P1.0M' is not a duration (use"],
    ["P0.5Y", "'P0.5Y' is not a duration (use"],
    ["p1.0m", "'p1.0m' is not a duration (use"],
    ["P0Y1D", "'P0Y1D' is not a duration (use"],
    ["P1MT4H", "'P1MT4H' is not a duration (use"],
    ["four hours", "'four hours' is not a duration (use"],
    [`${"1".repeat(40)}m`, "is not a duration (use"],
    ["0m", "'0m' is not a duration: it must be longer than zero"],
    ["00m", "'00m' is not a duration: it must be longer than zero"],
    ["PT0M", "'PT0M' is not a duration: it must be longer than zero"],
    ["P0D", "'P0D' is not a duration: it must be longer than zero"],
    ["PT30S", "'PT30S' is not whole minutes (use"],
    ["PT90S", "'PT90S' is not whole minutes (use"],
    ["367d", "'367d' is too long: at most 366 days"],
    ["9000h", "'9000h' is too long: at most 366 days"],
  ])("refuses %j", (text, error) => {
    expect(parseDuration(text)).toEqual({ ok: false, error: expect.stringContaining(error) });
  });
});

describe("formatDuration", () => {
  it.each<[number, string]>([
    [60, "1m"],
    [45 * M, "45m"],
    [H, "1h"],
    [90 * M, "1h30m"],
    [4 * H, "4h"],
    [D, "1d"],
    [D + 2 * H + 30 * M, "1d2h30m"],
    [D + 5 * M, "1d5m"],
    [366 * D, "366d"],
    [1, "1m"],
    [61, "2m"],
    [0, "0m"],
  ])("formats %i seconds as %j", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("formats every whole-minute duration to text that parses back to it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 366 * 24 * 60 }), (minutes) => {
        expect(parseDuration(formatDuration(minutes * M))).toEqual({ ok: true, seconds: minutes * M });
      }),
    );
  });
});

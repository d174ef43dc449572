import { describe, expect, it } from "vitest";
import { localTime } from "../../../../../src/adapters/slack/views/format.js";

const NOW = Date.UTC(2026, 10, 27, 12, 30);
const HOUR = 3600_000;

describe("localTime", () => {
  it("shows the date as well when the expiry is not today where the requester is", () => {
    expect(localTime(NOW + 20 * HOUR, "Europe/Berlin", NOW)).toBe("Sat 28 Nov 09:30 CET (in 20h)");
  });

  it("falls back to UTC for an unknown time zone", () => {
    expect(localTime(NOW + HOUR, "Mars/Olympus", NOW)).toBe("13:30 UTC (in 1h)");
  });
});

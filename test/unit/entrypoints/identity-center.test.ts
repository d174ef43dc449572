import { describe, expect, it } from "vitest";
import { limitsFromEnv } from "../../../src/entrypoints/identity-center.js";

describe("Identity Center quota shares", () => {
  it.each([
    [
      { IC_REQUESTS_PER_SECOND: "5", IC_MAX_OUTSTANDING: "3" },
      { requestsPerSecond: 5, maxOutstanding: 3 },
    ],
    [
      { IC_REQUESTS_PER_SECOND: "19", IC_READ_INTERVAL_MS: "2000" },
      { requestsPerSecond: 19, readIntervalMs: 2000 },
    ],
    [{}, {}],
    [{ IC_REQUESTS_PER_SECOND: "zero", IC_MAX_OUTSTANDING: "-1", IC_READ_INTERVAL_MS: "soon" }, {}],
  ])("reads the process's share from %j", (env, limits) => {
    expect(limitsFromEnv(env)).toEqual(limits);
  });
});

import { describe, expect, it } from "vitest";
import { limitsFromEnv } from "../../../src/entrypoints/identity-center.js";

describe("Identity Center quota shares", () => {
  it.each([
    [
      { IC_REQUESTS_PER_SECOND: "5", IC_MAX_OUTSTANDING: "3" },
      { requestsPerSecond: 5, maxOutstanding: 3 },
    ],
    [{ IC_REQUESTS_PER_SECOND: "19" }, { requestsPerSecond: 19 }],
    [{}, {}],
    [{ IC_REQUESTS_PER_SECOND: "zero", IC_MAX_OUTSTANDING: "-1" }, {}],
  ])("reads the process's share from %j", (env, limits) => {
    expect(limitsFromEnv(env)).toEqual(limits);
  });
});

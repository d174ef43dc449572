import { describe, expect, it } from "vitest";
import { identityCenterShare } from "../../infra/stack.js";
import { limitsFromEnv } from "../../src/entrypoints/identity-center.js";

describe("Identity Center quota shares", () => {
  it.each([
    [1, { requestsPerSecond: 10, maxOutstanding: 7 }],
    [2, { requestsPerSecond: 5, maxOutstanding: 3 }],
    [5, { requestsPerSecond: 2, maxOutstanding: 1 }],
    [0, { requestsPerSecond: 5, maxOutstanding: 3 }],
  ])(
    "splits the quotas between worker and revoker instances with reserved concurrency %i",
    (reserved, share) => {
      expect(identityCenterShare(reserved)).toEqual(share);
    },
  );

  it("keeps the sum of every instance's share within Identity Center's quotas", () => {
    for (const reserved of [1, 2, 3, 4, 7]) {
      const share = identityCenterShare(reserved);
      expect(share.requestsPerSecond * 2 * reserved).toBeLessThanOrEqual(20);
      expect(share.maxOutstanding * 2 * reserved).toBeLessThanOrEqual(15);
    }
  });

  it.each([
    [
      { IC_REQUESTS_PER_SECOND: "5", IC_MAX_OUTSTANDING: "3" },
      { requestsPerSecond: 5, maxOutstanding: 3 },
    ],
    [{}, {}],
    [{ IC_REQUESTS_PER_SECOND: "zero", IC_MAX_OUTSTANDING: "-1" }, {}],
  ])("reads the process's share from %j", (env, limits) => {
    expect(limitsFromEnv(env)).toEqual(limits);
  });
});

import { ConflictException, ThrottlingException, ValidationException } from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import { RetriesExhausted } from "../../src/adapters/identity-center/errors.js";
import { backoffMs, isRetryable, withRetry } from "../../src/adapters/identity-center/retry.js";

const meta = { $metadata: { httpStatusCode: 400 } };
const throttled = () => new ThrottlingException({ message: "Rate exceeded", $metadata: {} });

describe("withRetry", () => {
  it.each<[string, unknown, boolean]>([
    ["ThrottlingException", throttled(), true],
    ["ConflictException", new ConflictException({ message: "in progress", $metadata: {} }), true],
    ["an HTTP 503", { name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } }, true],
    ["an HTTP 429", { name: "Whatever", $metadata: { httpStatusCode: 429 } }, true],
    ["a reset connection", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), true],
    ["ValidationException", new ValidationException({ message: "bad", $metadata: {} }), false],
    ["AccessDeniedException", { name: "AccessDeniedException", ...meta }, false],
    ["ResourceNotFoundException", { name: "ResourceNotFoundException", ...meta }, false],
    ["a plain error", new Error("bug"), false],
  ])("treats %s as retryable: %s", (_, error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });

  it.each([0, 1, 5, 12])("draws a full-jitter delay within the cap after retry %i", (retry) => {
    const policy = { maxAttempts: 10, baseMs: 100, maxMs: 2_000 };
    const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** retry);

    expect(backoffMs(retry, policy, () => 0)).toBe(0);
    expect(backoffMs(retry, policy, () => 0.999_999)).toBeLessThan(cap);
    expect(backoffMs(retry, policy, () => 0.5)).toBe(Math.floor(cap / 2));
  });

  it("retries throttled calls with growing jittered sleeps until one succeeds", async () => {
    const sleeps: number[] = [];
    let calls = 0;

    const result = await withRetry(
      "Op",
      async () => {
        calls += 1;
        if (calls < 4) throw throttled();
        return "done";
      },
      {
        maxAttempts: 5,
        baseMs: 10,
        maxMs: 1_000,
        random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
      },
    );

    expect(result).toBe("done");
    expect(sleeps).toEqual([5, 10, 20]);
  });

  it("throws a non-retryable error at once", async () => {
    let calls = 0;
    const fail = withRetry(
      "Op",
      async () => {
        calls += 1;
        throw new ValidationException({ message: "bad input", $metadata: {} });
      },
      { maxAttempts: 5, baseMs: 1, maxMs: 1, random: () => 0, sleep: async () => {} },
    );

    await expect(fail).rejects.toBeInstanceOf(ValidationException);
    expect(calls).toBe(1);
  });

  it("gives up with RetriesExhausted, keeping the last error as its cause", async () => {
    const last = throttled();
    const fail = withRetry(
      "CreateAccountAssignment",
      async () => {
        throw last;
      },
      { maxAttempts: 3, baseMs: 1, maxMs: 1, random: () => 0, sleep: async () => {} },
    );

    await expect(fail).rejects.toBeInstanceOf(RetriesExhausted);
    await expect(fail).rejects.toMatchObject({ attempts: 3, code: "IC_RETRIES_EXHAUSTED", cause: last });
    await expect(fail).rejects.toThrow("retries exhausted");
  });
});

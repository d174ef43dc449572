import { ConflictException, ThrottlingException, ValidationException } from "@aws-sdk/client-sso-admin";
import { describe, expect, it } from "vitest";
import { RetriesExhausted } from "../../../../src/adapters/identity-center/errors.js";
import { backoffMs, withRetry } from "../../../../src/adapters/identity-center/retry.js";
import { UnsafeDeletion } from "../../../../src/domain/errors.js";

const throttled = () => new ThrottlingException({ message: "Rate exceeded", $metadata: {} });
const noSleep = { baseMs: 1, maxMs: 1, random: () => 0, sleep: async () => {} };

describe("withRetry", () => {
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

  it("throws a final error at once, as it came", async () => {
    let calls = 0;
    const fail = withRetry(
      "CreateAccountAssignment",
      async () => {
        calls += 1;
        throw new ValidationException({ message: "bad input", $metadata: {} });
      },
      { maxAttempts: 5, ...noSleep },
    );

    await expect(fail).rejects.toBeInstanceOf(ValidationException);
    expect(calls).toBe(1);
  });

  it("throws the project's own errors at once: a guard's refusal is not a failure to retry", async () => {
    let calls = 0;
    const fail = withRetry(
      "DeleteAccountAssignment",
      async () => {
        calls += 1;
        throw new UnsafeDeletion("refusing to delete a GROUP assignment");
      },
      { maxAttempts: 5, ...noSleep },
    );

    await expect(fail).rejects.toBeInstanceOf(UnsafeDeletion);
    expect(calls).toBe(1);
  });

  it("ends with the value a retryable error's handler gives instead of backing off", async () => {
    let calls = 0;
    const seen: string[] = [];

    const result = await withRetry(
      "CreateAccountAssignment",
      async () => {
        calls += 1;
        throw new ConflictException({ message: "in progress", $metadata: {} });
      },
      {
        maxAttempts: 5,
        ...noSleep,
        onRetryable: async (verdict) => {
          seen.push(verdict.code);
          return "adopted";
        },
      },
    );

    expect(result).toBe("adopted");
    expect(calls).toBe(1);
    expect(seen).toEqual(["ConflictException"]);
  });

  it("gives up with a retryable RetriesExhausted, keeping the last error as its cause", async () => {
    const last = throttled();
    const fail = withRetry(
      "CreateAccountAssignment",
      async () => {
        throw last;
      },
      { maxAttempts: 3, ...noSleep },
    );

    await expect(fail).rejects.toBeInstanceOf(RetriesExhausted);
    await expect(fail).rejects.toMatchObject({
      attempts: 3,
      code: "IC_RETRIES_EXHAUSTED",
      cause: last,
      retryable: true,
      service: "Identity Center",
    });
    await expect(fail).rejects.toThrow("retries exhausted");
  });
});

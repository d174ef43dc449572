import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Grant } from "../../src/domain/grant.js";
import { type DynamoDbLocal, startDynamoDbLocal } from "../../src/sim/dynamodb-local.js";
import { seedActiveGrants } from "../support/active-grants.js";
import { freePort } from "../support/dynamodb-local.js";
import { E2EStack, PEOPLE, waitFor } from "../support/e2e.js";

const OUTAGE_MS = 30_000;

describe("DynamoDB stopped for 30 s and started again", () => {
  it("loses no grant, revokes every grant that fell due meanwhile, and tells requesters to try again", async () => {
    const port = await freePort();
    const dbPath = mkdtempSync(join(tmpdir(), "dynamodb-outage-"));
    let local: DynamoDbLocal | undefined = await startDynamoDbLocal({ port, dbPath });
    const stack = new E2EStack();
    await stack.start(local.endpoint);
    try {
      const expiresAt = Date.now() + 8_000;
      const grants = await seedActiveGrants(stack.store, stack.sim, 5, expiresAt);
      await local.stop();
      local = undefined;
      const stoppedAt = Date.now();

      const answer = await stack.slash(PEOPLE.dev, "prod ReadOnly 1h during the outage");
      const reply = await waitFor("the reply", () => stack.repliesTo(answer.responseId), 30_000);
      expect(reply).toMatch(/AWS is not answering/);
      expect(reply).not.toMatch(/DynamoDB|ECONNREFUSED/);

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, stoppedAt + OUTAGE_MS - Date.now())));
      local = await startDynamoDbLocal({ port, dbPath });
      const backAt = Date.now();
      const ended = await waitFor(
        "every due grant to end",
        async () => {
          const now = await Promise.all(grants.map((g) => stack.store.get(g.id)));
          return now.every((g) => g?.status === "ended") ? (now as Grant[]) : undefined;
        },
        30_000,
      );
      for (const grant of ended) {
        expect(grant.endedAt ?? 0).toBeGreaterThanOrEqual(expiresAt);
        expect((grant.endedAt ?? 0) - backAt).toBeLessThanOrEqual(10_000);
      }
      expect(stack.sim.assignments().filter((a) => a.principalId.startsWith("u-seed-"))).toEqual([]);
      expect(await stack.store.byRequester(PEOPLE.dev.slackId)).toEqual([]);
    } finally {
      await stack.stop();
      await local?.stop();
    }
  }, 120_000);
});

import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { startDynamoDbLocal } from "../support/dynamodb-local.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("startDynamoDbLocal", () => {
  it("runs in a working folder of its own outside the project and removes it when stopped", async () => {
    const local = await startDynamoDbLocal();
    const { workDir } = local;
    try {
      expect(existsSync(workDir)).toBe(true);
      expect(relative(ROOT, workDir).startsWith("..")).toBe(true);
      const answer = await fetch(local.endpoint, { method: "POST" });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      await answer.text();
    } finally {
      await local.stop();
    }
    expect(existsSync(workDir)).toBe(false);
    expect(existsSync(join(ROOT, "dynamodb-local-metadata.json"))).toBe(false);
  });
});

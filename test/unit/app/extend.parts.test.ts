import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { handleCommand } from "../../../src/app/index.js";
import { submitRequest } from "../../../src/app/request.js";
import { RequestRefused } from "../../../src/domain/errors.js";
import { harness, PEOPLE } from "../../support/app-harness.js";

const { dev, admin } = PEOPLE;

/** prod (needs an approver) and staging (granted at once) ReadOnly in one request, approved and active. */
async function activeRequest(h: ReturnType<typeof harness>) {
  const { requestId, grants } = await submitRequest(h.deps, dev.slackId, {
    account: ["prod", "staging"],
    permissionSet: ["ReadOnly"],
    durationSeconds: 3600,
    reason: "INC-21 rollout",
  });
  await decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" });
  const parts = await h.store.requestParts(requestId ?? "");
  expect(parts.map((p) => p.status)).toEqual(["active", "active"]);
  return { requestId: requestId ?? "", parts };
}

describe("extend <request-id>", () => {
  it("extends each active part under its own rule: at once where it grants at once, else asking its approvers", async () => {
    const h = harness();
    const { requestId, parts } = await activeRequest(h);
    const result = await handleCommand(h.deps, dev.slackId, `extend ${requestId} 30m`);
    expect(result.kind).toBe("extended-request");
    const [prod, staging] = await h.store.requestParts(requestId);
    expect(prod?.expiresAt).toBe(parts[0]?.expiresAt);
    expect(prod?.extension).toMatchObject({ status: "pending", by: dev.slackId, addSeconds: 1800 });
    expect(staging?.expiresAt).toBe((parts[1]?.expiresAt ?? 0) + 1800_000);
  });

  it("changes nothing when one part cannot be extended", async () => {
    const h = harness();
    const { requestId, parts } = await activeRequest(h);
    // prod-admin allows 4h in all; staging-self-service 8h.
    await expect(handleCommand(h.deps, dev.slackId, `extend ${requestId} 5h`)).rejects.toBeInstanceOf(
      RequestRefused,
    );
    const after = await h.store.requestParts(requestId);
    expect(after.map((p) => [p.expiresAt, p.extension])).toEqual(parts.map((p) => [p.expiresAt, undefined]));
  });
});

import { describe, expect, it } from "vitest";
import { handleCommand } from "../../../src/app/command.js";
import { decideGrant } from "../../../src/app/decide.js";
import { submitRequest } from "../../../src/app/request.js";
import { revokeRequest } from "../../../src/app/revoke.js";
import { NotAuthorised } from "../../../src/domain/errors.js";
import { harness, PEOPLE } from "../../support/app-harness.js";
import { prodBoth, statuses } from "../../support/use-cases.js";

const { dev, admin, outsider } = PEOPLE;

describe("revoking a request of several parts", () => {
  it("ends every active part when its request id is revoked, and tells an outsider no without changing any", async () => {
    const h = harness();
    const { requestId, grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    await decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" });
    await expect(revokeRequest(h.deps, outsider.slackId, requestId ?? "")).rejects.toBeInstanceOf(
      NotAuthorised,
    );
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
    const result = await handleCommand(h.deps, dev.slackId, `revoke ${requestId?.toUpperCase()}`);
    expect(result).toMatchObject({ kind: "revoked-request", requestId });
    expect(await statuses(h, grants)).toEqual(["ended", "ended"]);
    expect(h.identity.assignments.size).toBe(0);
  });

  it("cancels every pending part when the requester revokes the request", async () => {
    const h = harness();
    const { requestId, grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    await revokeRequest(h.deps, dev.slackId, requestId ?? "");
    expect(await statuses(h, grants)).toEqual(["cancelled", "cancelled"]);
  });

  it("refuses an unknown request id", async () => {
    const h = harness();
    await expect(handleCommand(h.deps, dev.slackId, "revoke r-k7m2x9qa")).rejects.toThrow(
      "no grant `r-k7m2x9qa`",
    );
  });
});

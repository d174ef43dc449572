import { describe, expect, it } from "vitest";
import { handleCommand } from "../../../src/app/command.js";
import { decideGrant } from "../../../src/app/decide.js";
import { submitRequest } from "../../../src/app/request.js";
import { revokeRequest } from "../../../src/app/revoke.js";
import { NotAuthorised, RequestRefused } from "../../../src/domain/errors.js";
import type { Grant } from "../../../src/domain/grant.js";
import { REQUEST_ID_PATTERN } from "../../../src/domain/ids.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, exampleConfig, PROD, READ_ONLY, STAGING } from "../../support/example-config.js";

const { dev, admin, admin2, lead, outsider } = PEOPLE;
const prodBoth = {
  account: "prod",
  permissionSet: ["ReadOnly", "AdministratorAccess"],
  durationSeconds: 3600,
  reason: "INC-42 rollout",
};
/** prod is approved by the administrators, staging by the security lead alone, both in one channel. */
const splitApprovers = exampleConfig({
  rules: [
    aRule({ name: "prod-admin", channel: "C0SHARED" }),
    aRule({
      name: "staging-lead",
      accounts: ["staging"],
      approvers: { groups: [], emails: ["security-lead@example.com"] },
      maxDurationSeconds: 2 * 3600,
      channel: "C0SHARED",
    }),
  ],
});

async function statuses(h: ReturnType<typeof harness>, grants: readonly Grant[]) {
  return Promise.all(grants.map(async (g) => (await h.store.get(g.id))?.status));
}

describe("a request of several parts", () => {
  it("stores one grant per part linked by a request id and posts one message showing them all", async () => {
    const h = harness();
    const { requestId, grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    expect(requestId).toMatch(REQUEST_ID_PATTERN);
    expect(grants.map((g) => [g.permissionSet.arn, g.requestId, g.status])).toEqual([
      [READ_ONLY, requestId, "pending"],
      [ADMIN, requestId, "pending"],
    ]);
    expect(h.chat.posted).toHaveLength(1);
    expect(h.chat.posted[0]?.parts?.map((p) => p.id)).toEqual(grants.map((g) => g.id));
    expect((await h.store.get(grants[0]?.id ?? ""))?.message).toEqual({
      channel: "C0PRODADMIN",
      ts: "1.000100",
    });
    const requested = await h.store.auditOf(grants[1]?.id ?? "");
    expect(requested[0]).toMatchObject({ type: "requested", detail: { requestId, part: 2, parts: 2 } });
    expect(h.chat.audits.map((a) => a.event.type)).toEqual(["requested", "requested"]);
  });

  it("refuses the whole request when one part is refused, names the part and stores nothing", async () => {
    const h = harness();
    const ask = { account: ["prod", "root"], permissionSet: "ReadOnly", reason: "x" };
    await expect(submitRequest(h.deps, dev.slackId, ask)).rejects.toThrow(
      /`ReadOnly` in `root`: `root` is the management account/,
    );
    expect(await h.store.byRequester(dev.slackId)).toEqual([]);
    expect(h.chat.posted).toEqual([]);
    const day = new Date(h.clock.now()).toISOString().slice(0, 10);
    expect((await h.store.refusalsOn(day))[0]).toMatchObject({
      actor: dev.slackId,
      detail: { account: "prod,root", permissionSet: "ReadOnly", code: "management-account" },
    });
  });

  it.each([
    [
      "a duration above one part's maximum",
      { account: ["prod", "staging"], permissionSet: "ReadOnly", durationSeconds: 5 * 3600 },
      /`ReadOnly` in `prod`: `5h` is longer than the `4h` maximum/,
    ],
    [
      "parts approved in different channels",
      { account: ["prod", "staging"], permissionSet: "AdministratorAccess" },
      /different channels/,
    ],
  ])("refuses %s", async (_what, ask, message) => {
    const h = harness();
    await expect(submitRequest(h.deps, dev.slackId, { ...ask, reason: "x" })).rejects.toThrow(message);
    expect(await h.store.byRequester(dev.slackId)).toEqual([]);
  });

  it("gives every part the default duration cut to the smallest maximum", async () => {
    const h = harness(
      exampleConfig({
        ...splitApprovers,
        defaults: { ...exampleConfig().defaults, durationSeconds: 3 * 3600 },
      }),
    );
    const { grants } = await submitRequest(h.deps, dev.slackId, {
      account: ["prod", "staging"],
      permissionSet: "ReadOnly",
      reason: "x",
    });
    expect(grants.map((g) => g.durationSeconds)).toEqual([7200, 7200]);
  });

  it("times out every part at the shortest time-out of their rules", async () => {
    const rules = splitApprovers.rules.map((r) =>
      r.name === "staging-lead" ? { ...r, requestTimeoutSeconds: 1800 } : r,
    );
    const h = harness(exampleConfig({ ...splitApprovers, rules }));
    const { grants } = await submitRequest(h.deps, dev.slackId, {
      account: ["prod", "staging"],
      permissionSet: "ReadOnly",
      reason: "x",
    });
    expect(grants.map((g) => g.timeoutAt - h.clock.now())).toEqual([1800_000, 1800_000]);
  });

  it("grants every part at once when every rule approves automatically", async () => {
    const h = harness(
      exampleConfig({
        rules: [aRule({ name: "auto", accounts: ["*"], autoApprove: true, approvers: undefined })],
      }),
    );
    const { grants } = await submitRequest(h.deps, dev.slackId, {
      account: ["prod", "staging"],
      permissionSet: "ReadOnly",
      reason: "x",
    });
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
    expect(h.chat.posted).toHaveLength(1);
  });

  it("keeps a part its rule grants at once pending until the other parts are approved, then grants all", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, {
      account: ["staging", "prod"],
      permissionSet: "ReadOnly",
      reason: "x",
    });
    expect(grants.map((g) => [g.status, g.approvalsRequired])).toEqual([
      ["pending", 0],
      ["pending", 1],
    ]);
    expect(h.identity.count("create")).toBe(0);
    await decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" });
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
  });

  it("approves every part with one click of an approver allowed for all of them", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    await decideGrant(h.deps, admin.slackId, grants[1]?.id ?? "", { kind: "approve" });
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
    expect(h.identity.count("create")).toBe(2);
  });

  it("needs an approver for every part's rule and starts nothing until each has its approvals", async () => {
    const h = harness(splitApprovers);
    const { grants } = await submitRequest(h.deps, dev.slackId, {
      account: ["prod", "staging"],
      permissionSet: "ReadOnly",
      reason: "x",
    });
    const [prod, staging] = grants as [Grant, Grant];
    await decideGrant(h.deps, admin.slackId, prod.id, { kind: "approve" });
    expect(await statuses(h, grants)).toEqual(["pending", "pending"]);
    expect((await h.store.get(prod.id))?.approvals.map((a) => a.slackId)).toEqual([admin.slackId]);
    expect((await h.store.get(staging.id))?.approvals).toEqual([]);
    await expect(decideGrant(h.deps, admin2.slackId, prod.id, { kind: "approve" })).rejects.toThrow(
      "`ReadOnly` in `staging`: You are not an approver for rule `staging-lead`",
    );
    await decideGrant(h.deps, lead.slackId, prod.id, { kind: "approve" });
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
    expect((await h.store.auditOf(prod.id)).filter((e) => e.type === "approved").map((e) => e.actor)).toEqual(
      [admin.slackId, lead.slackId],
    );
  });

  it("counts distinct people toward each rule's quorum", async () => {
    const h = harness(
      exampleConfig({
        rules: [aRule({ name: "two", accounts: ["*"], approvalsRequired: 2, channel: undefined })],
      }),
    );
    const { grants } = await submitRequest(h.deps, dev.slackId, {
      account: ["prod", "staging"],
      permissionSet: "ReadOnly",
      reason: "x",
    });
    await decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" });
    await expect(
      decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" }),
    ).rejects.toThrow("You have already approved; 1 more approval needed.");
    expect(await statuses(h, grants)).toEqual(["pending", "pending"]);
    await decideGrant(h.deps, admin2.slackId, grants[1]?.id ?? "", { kind: "approve" });
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
  });

  it("refuses someone who may approve no part, and changes nothing", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    await expect(
      decideGrant(h.deps, outsider.slackId, grants[0]?.id ?? "", { kind: "approve" }),
    ).rejects.toBeInstanceOf(NotAuthorised);
    expect(await statuses(h, grants)).toEqual(["pending", "pending"]);
  });

  it("denies every part with one Deny and tells the requester about each", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    await decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "deny", reason: "use staging" });
    expect(await statuses(h, grants)).toEqual(["denied", "denied"]);
    expect(grants.map((g) => h.chat.noticesFor(g.id))).toEqual([["denied"], ["denied"]]);
    expect(h.chat.updates.at(-1)?.parts?.map((p) => p.status)).toEqual(["denied", "denied"]);
  });

  it("cancels every part when the requester denies their own request", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    await decideGrant(h.deps, dev.slackId, grants[1]?.id ?? "", { kind: "deny" });
    expect(await statuses(h, grants)).toEqual(["cancelled", "cancelled"]);
  });

  it("lets exactly one of two racing approvers decide, and tells the other it is decided", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    const outcomes = await Promise.allSettled([
      decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" }),
      decideGrant(h.deps, admin2.slackId, grants[1]?.id ?? "", { kind: "approve" }),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected");
    expect(refused?.status === "rejected" && String(refused.reason)).toMatch(
      /is already (provisioning|active)/,
    );
    for (const grant of grants) {
      expect((await h.store.get(grant.id))?.approvals).toHaveLength(1);
    }
    expect(h.identity.count("create")).toBe(2);
  });

  it("changes no part when the write of one part fails, and decides all on the next click", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    const saveAll = h.store.saveAll.bind(h.store);
    h.store.saveAll = async () => {
      throw new Error("DynamoDB is unreachable");
    };
    await expect(
      decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" }),
    ).rejects.toThrow();
    expect(await statuses(h, grants)).toEqual(["pending", "pending"]);
    h.store.saveAll = saveAll;
    await decideGrant(h.deps, admin.slackId, grants[0]?.id ?? "", { kind: "approve" });
    expect(await statuses(h, grants)).toEqual(["active", "active"]);
  });

  it("decides the parts still pending when one was cancelled by an operator meanwhile", async () => {
    const h = harness();
    const { grants } = await submitRequest(h.deps, dev.slackId, prodBoth);
    const [first, second] = grants as [Grant, Grant];
    const saveAll = h.store.saveAll.bind(h.store);
    let raced = false;
    h.store.saveAll = async (changes) => {
      if (!raced) {
        raced = true;
        const current = (await h.store.get(second.id)) as Grant;
        await h.store.save({
          grant: { ...current, version: current.version + 1, status: "cancelled" } as Grant,
          expect: { status: "pending", version: current.version },
          audit: [],
        });
      }
      return saveAll(changes);
    };
    await decideGrant(h.deps, admin.slackId, first.id, { kind: "approve" });
    expect(await statuses(h, grants)).toEqual(["active", "cancelled"]);
    expect((await h.store.auditOf(second.id)).map((e) => e.type)).toEqual(["requested"]);
  });

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

  it("asks for a part at most once", async () => {
    const h = harness();
    await expect(handleCommand(h.deps, dev.slackId, "prod,staging,prod ReadOnly x")).rejects.toBeInstanceOf(
      RequestRefused,
    );
    expect(STAGING).not.toBe(PROD);
  });
});

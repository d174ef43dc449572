import { describe, expect, it } from "vitest";
import { decideGrant } from "../../../src/app/decide.js";
import { submitRequest } from "../../../src/app/request.js";
import { NotAuthorised } from "../../../src/domain/errors.js";
import type { Grant } from "../../../src/domain/grant.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { exampleConfig } from "../../support/example-config.js";
import { prodBoth, splitApprovers, statuses } from "../../support/use-cases.js";

const { dev, admin, admin2, lead, outsider } = PEOPLE;

describe("deciding a request of several parts", () => {
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
});

import { describe, expect, it } from "vitest";
import { handleCommand } from "../../../src/app/command.js";
import { decideGrant } from "../../../src/app/decide.js";
import { submitRequest } from "../../../src/app/request.js";
import { RequestRefused } from "../../../src/domain/errors.js";
import { REQUEST_ID_PATTERN } from "../../../src/domain/ids.js";
import { aRule, harness, PEOPLE } from "../../support/app-harness.js";
import { ADMIN, exampleConfig, PROD, READ_ONLY, STAGING } from "../../support/example-config.js";
import { prodBoth, splitApprovers, statuses } from "../../support/use-cases.js";

const { dev, admin } = PEOPLE;

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

  it("asks for a part at most once", async () => {
    const h = harness();
    await expect(handleCommand(h.deps, dev.slackId, "prod,staging,prod ReadOnly x")).rejects.toBeInstanceOf(
      RequestRefused,
    );
    expect(STAGING).not.toBe(PROD);
  });
});

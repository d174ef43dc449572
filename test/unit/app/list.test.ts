import { describe, expect, it } from "vitest";
import { listGrants } from "../../../src/app/list.js";
import { requestAccess } from "../../../src/app/request.js";
import { type Harness, harness, PEOPLE } from "../../support/app-harness.js";
import { prodAdminAsk, requestApproved } from "../../support/use-cases.js";

const { dev } = PEOPLE;
const prodAdmin = prodAdminAsk("INC-123");
const active = (h: Harness) => requestApproved(h, prodAdmin);

describe("list", () => {
  it("lists the requester's open grants", async () => {
    const h = harness();
    const id = await active(h);
    const pending = await requestAccess(h.deps, dev.slackId, { ...prodAdmin, permissionSet: "ReadOnly" });
    expect((await listGrants(h.deps, dev.slackId)).map((g) => g.id).sort()).toEqual([id, pending.id].sort());
  });
});

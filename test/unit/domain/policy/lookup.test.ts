import { describe, expect, it } from "vitest";
import {
  channelFor,
  findRule,
  groupNamesIn,
  resolveAccount,
  resolvePermissionSet,
} from "../../../../src/domain/policy.js";
import { READ_ONLY } from "../../../support/example-config.js";
import { config, example, prodAdmin, rule, selfService } from "../../../support/policy-fixtures.js";

describe("look-ups", () => {
  it("resolves accounts by alias in any case or by id, returning the alias as written", () => {
    expect(resolveAccount(example, "Prod")).toEqual({
      alias: "prod",
      id: "222222222222",
      name: "Production",
    });
    expect(resolveAccount(example, "333333333333")).toEqual({ alias: "staging", id: "333333333333" });
    expect(resolveAccount(example, "nope")).toBeUndefined();
  });

  it("resolves permission sets by name in any case", () => {
    expect(resolvePermissionSet(example, "readONLY")).toEqual({ name: "ReadOnly", arn: READ_ONLY });
    expect(resolvePermissionSet(example, "Billing")).toBeUndefined();
  });

  it("finds rules by name", () => {
    expect(findRule(example, "prod-admin")).toBe(prodAdmin);
    expect(findRule(example, "gone")).toBeUndefined();
  });

  it("routes to the rule's channel, else the default approval channel", () => {
    expect(channelFor(example, prodAdmin)).toBe("C0PRODADMIN");
    expect(channelFor(example, selfService)).toBe("C0APPROVALS");
  });

  it("lists every group named in requesters and approvers once, whatever the case", () => {
    const cfg = config([
      selfService,
      prodAdmin,
      rule({
        name: "x",
        requesters: { groups: ["engineers", "Ops"], emails: [] },
        approvers: { groups: ["ORGANIZATION ADMINISTRATORS"], emails: [] },
      }),
    ]);
    expect(groupNamesIn(cfg)).toEqual(["Engineers", "Organization Administrators", "Ops"]);
  });
});

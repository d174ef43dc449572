import { describe, expect, it } from "vitest";
import { sandboxWorld } from "../../../../src/sim/sandbox/seed.js";
import { grantsTable, usersTable } from "../../../../src/sim/sandbox/tables.js";
import { aGrant } from "../../../support/grant-builder.js";
import { example } from "../../../support/policy-fixtures.js";

describe("sandbox tables", () => {
  it("lines up users in columns and marks the one being played", () => {
    const [dev, admin] = sandboxWorld(example).people;
    if (!dev || !admin) throw new Error("the example seeds dev and admin");
    const playing = { ...admin, groups: [] };
    expect(usersTable([dev, playing], playing)).toEqual([
      "   name   slack id  email              groups",
      "   dev    U0DEV     dev@example.com    Engineers",
      "*  admin  U0ADMIN   admin@example.com  (none)",
    ]);
  });

  it.each<[string, number | undefined, string]>([
    ["an active grant with the time left", Date.UTC(2030, 0, 15, 10, 30), "in 1h30m"],
    ["a pending grant without expiry", undefined, "-"],
  ])("lists %s", (_case, expiresAt, expires) => {
    const grant = aGrant({ id: "g1", expiresAt, status: expiresAt ? "active" : "pending" });
    expect(grantsTable([grant], Date.UTC(2030, 0, 15, 9))[1]).toMatch(
      new RegExp(`^\`g1\` +${grant.status} +dev@example.com +ReadOnly on prod +1h +${expires}$`),
    );
  });

  it("says when no grant is open", () => {
    expect(grantsTable([], 0)).toEqual(["no open grants"]);
  });
});

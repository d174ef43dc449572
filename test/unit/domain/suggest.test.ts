import { describe, expect, it } from "vitest";
import { closest, levenshtein } from "../../../src/domain/suggest.js";

const names = ["prod", "staging", "Sandbox-1", "ReadOnly", "AdministratorAccess", "PowerUser"];

describe("closest", () => {
  it.each<[string, string | undefined]>([
    ["prod", "prod"],
    ["PROD", "prod"],
    ["prd", "prod"],
    ["porod", "prod"],
    ["rpod", "prod"],
    ["stagin", "staging"],
    ["stagnig", "staging"],
    ["sandbox1", "Sandbox-1"],
    ["readonyl", "ReadOnly"],
    ["adm", "AdministratorAccess"],
    ["Administrator", "AdministratorAccess"],
    ["production", "prod"],
    ["power", "PowerUser"],
    ["zzzzzz", undefined],
    ["billing", undefined],
    ["ad", undefined],
    ["", undefined],
  ])("suggests %j for %j", (word, expected) => {
    expect(closest(word, names)).toBe(expected);
  });

  it("prefers the earlier candidate on a tie", () => {
    expect(closest("cat", ["bat", "hat"])).toBe("bat");
    expect(closest("cat", ["hat", "bat"])).toBe("hat");
  });

  it("prefers an edit over a prefix", () => {
    expect(closest("stag", ["stagingarea", "stage"])).toBe("stage");
  });

  it("honours a smaller maximum distance", () => {
    expect(closest("prdo", ["prod"], 0)).toBeUndefined();
    expect(closest("prdo", ["prod"], 1)).toBe("prod");
  });

  it("answers for a huge word without comparing it letter by letter", () => {
    expect(closest("p".repeat(1_000_000), names)).toBeUndefined();
  });
});

describe("levenshtein", () => {
  it.each<[string, string, number]>([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["prod", "prod", 0],
    ["prod", "prd", 1],
    ["prod", "prods", 1],
    ["prod", "prud", 1],
    ["prod", "rpod", 1],
    ["kitten", "sitting", 3],
    ["ca", "abc", 3],
    ["Prod", "prod", 1],
  ])("measures %j to %j as %i", (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });
});

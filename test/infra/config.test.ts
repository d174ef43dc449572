import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readDeployConfig, resolveConfigPath } from "../../infra/config.js";

const FIXTURE = join(import.meta.dirname, "fixtures", "deploy-config.yml");

describe("deploy config", () => {
  let dir: string;
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "aws-access-infra-"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the instance, identity store, permission sets and accounts other than the management account", () => {
    expect(readDeployConfig(FIXTURE)).toEqual({
      instanceArn: "arn:aws:sso:::instance/ssoins-7223abcdef123456",
      identityStoreId: "d-9067abcdef",
      accountIds: ["222222222222", "333333333333"],
      permissionSetArns: [
        "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-1111111111111111",
        "arn:aws:sso:::permissionSet/ssoins-7223abcdef123456/ps-2222222222222222",
      ],
    });
  });

  it.each([
    ["identityCenter:\n  identityStoreId: d-9067abcdef\n", /identityCenter\.instanceArn: required/],
    [
      "identityCenter:\n  instanceArn: arn:aws:sso:::instance/ssoins-7223abcdef123456\n",
      /identityStoreId: required/,
    ],
    ["accounts:\n  prod: { id: 2222 }\n", /accounts\.prod\.id: must be a 12-digit account id/],
    ["permissionSets:\n  ReadOnly: ps-1111\n", /permissionSets\.ReadOnly: must be a permission set ARN/],
    ["slack: {}\n", /accounts: name at least one account/],
  ])("refuses %j, naming the path and the problem", (text, message) => {
    const path = write("access.yml", text);
    expect(() => readDeployConfig(path)).toThrow(message);
    expect(() => readDeployConfig(path)).toThrow(path);
  });

  it("prefers the file named on the command line", () => {
    write("custom.yml", "{}");
    write("access.yml", "{}");
    expect(resolveConfigPath("custom.yml", () => {}, dir)).toBe(join(dir, "custom.yml"));
  });

  it("uses access.yml by default", () => {
    write("access.yml", "{}");
    write("access.example.yml", "{}");
    expect(resolveConfigPath(undefined, () => {}, dir)).toBe(join(dir, "access.yml"));
  });

  it("falls back to access.example.yml with a warning", () => {
    write("access.example.yml", "{}");
    const warnings: string[] = [];
    expect(resolveConfigPath(undefined, (w) => warnings.push(w), dir)).toBe(join(dir, "access.example.yml"));
    expect(warnings).toEqual([expect.stringContaining("access.example.yml")]);
  });

  it.each([
    ["missing.yml", /missing\.yml \(-c configPath\) does not exist/],
    [undefined, /no access\.yml/],
  ])("says what to pass when %s cannot be found", (requested, message) => {
    expect(() => resolveConfigPath(requested, () => {}, dir)).toThrow(message);
  });
});

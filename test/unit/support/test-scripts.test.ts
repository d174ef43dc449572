import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import unitConfig from "../../../vitest.unit.config.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("the inner-loop test scripts", () => {
  it("runs the unit tests alone, without starting DynamoDB Local", () => {
    expect(pkg.scripts["test:unit"]).toBe("vitest run --config vitest.unit.config.ts");
    expect(pkg.scripts["test:watch"]).toBe("vitest --config vitest.unit.config.ts");
    expect(unitConfig.test?.include).toEqual(["test/unit/**/*.test.ts"]);
    expect(unitConfig.test?.globalSetup).toEqual([]);
  });

  it("reports coverage with the provider released beside the installed vitest", () => {
    expect(pkg.scripts["test:coverage"]).toBe("vitest run --coverage");
    const require = createRequire(join(ROOT, "package.json"));
    const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version;
    expect(pkg.devDependencies["@vitest/coverage-v8"]).toBe(version("vitest"));
    expect(version("@vitest/coverage-v8")).toBe(version("vitest"));
  });

  it("keeps npm test running typecheck, lint and every test", () => {
    expect(pkg.scripts.test).toBe("npm run typecheck && npm run lint && vitest run");
  });
});

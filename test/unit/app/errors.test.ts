import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { SlackSecretInvalid } from "../../../src/adapters/aws/secrets.js";
import { SlackRateLimited, SlackRejected, SlackUnavailable } from "../../../src/adapters/slack/errors.js";
import { ServiceError } from "../../../src/app/errors.js";
import { DomainError } from "../../../src/domain/errors.js";

const ADAPTERS = fileURLToPath(new URL("../../../src/adapters/", import.meta.url));

/** Every adapter module that declares failures: each folder's errors.ts, plus the Secrets Manager reader. */
function errorModules(): string[] {
  const found = readdirSync(ADAPTERS, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith("errors.ts") || path.endsWith(join("aws", "secrets.ts")))
    .map((path) => join(ADAPTERS, path));
  return found.sort();
}

type Constructor = abstract new (...args: never[]) => unknown;

function isClass(value: unknown): value is Constructor {
  return typeof value === "function" && /^class\b/.test(Function.prototype.toString.call(value));
}

async function exportedClasses(): Promise<Array<[string, Constructor]>> {
  const classes: Array<[string, Constructor]> = [];
  for (const path of errorModules()) {
    const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (isClass(value)) classes.push([`${relative(ADAPTERS, path)}: ${name}`, value]);
    }
  }
  return classes;
}

describe("adapter error classes", () => {
  it("finds the errors modules of the dynamodb, identity-center, scheduler and slack adapters and secrets.ts", () => {
    const names = errorModules().map((path) => relative(ADAPTERS, path));
    for (const expected of ["dynamodb", "identity-center", "scheduler", "slack", "aws"]) {
      expect(names.some((name) => name.startsWith(expected))).toBe(true);
    }
  });

  it("are all ServiceErrors and none is a DomainError", async () => {
    const classes = await exportedClasses();
    expect(classes.length).toBeGreaterThan(5);
    const domain = classes.filter(([, type]) => type.prototype instanceof DomainError).map(([name]) => name);
    const notService = classes
      .filter(([, type]) => !(type.prototype instanceof ServiceError))
      .map(([name]) => name);
    expect(domain).toEqual([]);
    expect(notService).toEqual([]);
  });

  it.each([
    ["Slack", new SlackUnavailable("chat.postMessage", "HTTP 503"), true],
    ["Slack", new SlackRateLimited("chat.update", 30), true],
    ["Slack", new SlackRejected("chat.postMessage", "channel_not_found"), false],
    ["Slack", new SlackRejected("chat.postMessage", "internal_error"), true],
    ["Secrets Manager", new SlackSecretInvalid("secret s is not JSON"), false],
    ["Secrets Manager", new SlackSecretInvalid("cannot read secret s", { retryable: true }), true],
  ])("name %s as the service and say whether trying again may help", (service, error, retryable) => {
    expect(error).toBeInstanceOf(ServiceError);
    expect(error.service).toBe(service);
    expect(error.retryable).toBe(retryable);
    expect(error.name).toBe(error.constructor.name);
  });
});

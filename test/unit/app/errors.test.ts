import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { SlackSecretInvalid } from "../../../src/adapters/aws/secrets.js";
import { SlackRateLimited, SlackRejected, SlackUnavailable } from "../../../src/adapters/slack/errors.js";
import { errorText } from "../../../src/adapters/slack/views/error-text.js";
import { AssignmentRefused, ServiceError } from "../../../src/app/errors.js";
import { DomainError, RequestRefused } from "../../../src/domain/errors.js";

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

describe("errors shown in Slack", () => {
  const arn = "arn:aws:iam::123456789012:role/AwsAccess-Bot";

  class ThrottledTable extends ServiceError {
    readonly code = "TEST_THROTTLED";
    readonly service = "DynamoDB" as const;
  }

  it("shows a domain error's message, escaped", () => {
    expect(errorText(new RequestRefused("bad <!channel> & more"))).toBe(
      ":warning: bad &lt;!channel&gt; &amp; more",
    );
  });

  it.each([
    ["DynamoDB", new ThrottledTable(`User: ${arn} is not authorized`), "AWS is not answering right now"],
    ["Slack", new SlackUnavailable("chat.update", `HTTP 503 ${arn}`), "Slack is not answering right now"],
    [
      "Secrets Manager",
      new SlackSecretInvalid(`secret ${arn} is not JSON`),
      "AWS refused what the bot asked",
    ],
  ])(
    "tells people in words that %s failed, with the reference, never the raw message",
    (_s, error, words) => {
      const text = errorText(error, "ab12cd34");
      expect(text).toContain(words);
      expect(text).toContain("nothing was changed");
      expect(text).toContain("`ab12cd34`");
      expect(text).not.toContain("arn:aws");
      expect(text).not.toContain("HTTP 503");
    },
  );

  it("gives an Identity Center refusal's words and not AWS's text", () => {
    const refused = new AssignmentRefused("CreateAccountAssignment", "access-denied", `AccessDenied: ${arn}`);
    const text = errorText(refused, "ab12cd34");
    expect(text).toContain(refused.words);
    expect(text).toContain("`ab12cd34`");
    expect(text).not.toContain("arn:aws");
    expect(text).not.toContain("AccessDenied");
  });
});

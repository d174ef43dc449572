import { describe, expect, it } from "vitest";
import { SlackSecretInvalid } from "../../../../../src/adapters/aws/secrets.js";
import { SlackUnavailable } from "../../../../../src/adapters/slack/errors.js";
import { errorText } from "../../../../../src/adapters/slack/views/error-text.js";
import { AssignmentRefused, ServiceError } from "../../../../../src/app/errors.js";
import { GrantNotFound, NotAuthorised, RequestRefused } from "../../../../../src/domain/errors.js";

describe("error text", () => {
  it("shows a domain error's own message", () => {
    expect(errorText(new GrantNotFound("tstaaaa2"))).toBe(":warning: no grant `tstaaaa2`");
    expect(errorText(new NotAuthorised("only approvers of prod-admin may approve"))).toContain(
      "only approvers",
    );
  });

  it("never shows anything else's message, only a reference", () => {
    const text = errorText(new Error("connect ECONNREFUSED 10.0.0.7:8000 secret-table"), "ab12cd34");
    expect(text).toBe(
      ":warning: Something went wrong on our side; nothing was changed. Reference: `ab12cd34`",
    );
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

import { describe, expect, it } from "vitest";
import { refusalLine } from "../../../../../src/adapters/slack/views/refusal.js";
import { anAuditEvent } from "../../../../support/grant-builder.js";

describe("the audit channel's refusal line", () => {
  it("escapes what the refused person typed and adds the count held back", () => {
    const event = anAuditEvent({ type: "refused", reason: "no grant `<!channel>`" });
    const text = refusalLine("U0OUT", event, 3).text;
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("…and 3 more refusals from <@U0OUT> in the last minute");
  });
});

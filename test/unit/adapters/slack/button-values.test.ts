import { describe, expect, it } from "vitest";
import { readExtendValue, readExtensionValue } from "../../../../src/adapters/slack/button-values.js";

describe("button values", () => {
  it("reads back only well-formed button values", () => {
    expect(readExtendValue("tstaaaa2:90")).toBeUndefined();
    expect(readExtendValue("tstaaaa2:3600:1")).toBeUndefined();
    expect(readExtensionValue("tstaaaa2:e7")).toEqual({ grantId: "tstaaaa2", extensionId: "e7" });
    expect(readExtensionValue("tstaaaa2:<!channel>")).toBeUndefined();
  });
});

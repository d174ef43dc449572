import { describe, expect, it } from "vitest";
import { DENY_FIELDS, REQUEST_FIELDS, VIEWS } from "../../../../../src/adapters/slack/action-ids.js";
import { denyReasonModal, requestModal } from "../../../../../src/adapters/slack/views/modals.js";
import { offersFor } from "../../../../../src/domain/policy.js";
import { exampleConfig } from "../../../../support/example-config.js";

describe("modals", () => {
  const config = exampleConfig();

  it("pre-fills the request form with what the command already said", () => {
    const offers = offersFor(config, { slackId: "U0DEV", email: "dev@example.com", groups: ["Engineers"] });
    const view = requestModal(
      { accounts: ["PROD"], permissionSets: ["readonly"], durationSeconds: 5400, reason: "INC-9" },
      config,
      offers,
    );
    const blocks = JSON.stringify(view.blocks);
    expect(view.callback_id).toBe(VIEWS.request);
    expect(blocks).toContain(
      `"initial_options":[{"text":{"type":"plain_text","text":"prod (Production) · up to 4h, needs approval","emoji":true},"value":"prod"}]`,
    );
    expect(blocks).toContain(
      `"initial_options":[{"text":{"type":"plain_text","text":"ReadOnly · up to 4h–8h, some need approval","emoji":true},"value":"ReadOnly"}]`,
    );
    expect(blocks).toContain(`"initial_value":"1h30m"`);
    expect(blocks).toContain(`"initial_value":"INC-9"`);
    for (const field of Object.values(REQUEST_FIELDS)) expect(blocks).toContain(field.block);
  });

  it("carries the grant id of a denial in its metadata", () => {
    const view = denyReasonModal("tstaaaa2");
    expect(view.private_metadata).toBe("tstaaaa2");
    expect(JSON.stringify(view.blocks)).toContain(DENY_FIELDS.reason.block);
  });
});

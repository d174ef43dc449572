import { afterEach, describe, expect, it, vi } from "vitest";
import { ACTIONS, REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import type { AccessConfig } from "../../src/domain/config.js";
import { aRule, type Harness, harness, PEOPLE } from "../support/app-harness.js";
import { exampleConfig } from "../support/example-config.js";
import { FakeOutage } from "../support/fakes.js";
import {
  blockActionPayload,
  blockSuggestionPayload,
  deliver,
  multiSelected,
  SIGNING_SECRET,
  signedBlockAction,
  signedBlockSuggestion,
  signedSlashCommand,
  signedViewSubmission,
  slashCommandFields,
  textValue,
  viewSubmissionPayload,
} from "../support/slack.js";
import { type RunningSlackApp, startSlackApp } from "../support/slack-app.js";

const { dev, admin } = PEOPLE;

/** 500 accounts anyone may ask for, plus the management account. */
function bigConfig(): AccessConfig {
  const accounts = Object.fromEntries(
    Array.from({ length: 500 }, (_, i) => [`acct-${i}`, { id: String(400000000000 + i), name: `Team ${i}` }]),
  );
  return exampleConfig({
    accounts: { ...accounts, root: { id: "111111111111" } },
    rules: [aRule({ name: "all", accounts: ["*"], permissionSets: ["*"], channel: undefined })],
  });
}

type View = { id?: string; callback_id?: string; private_metadata?: string; blocks?: unknown[] };

describe("the request form over the Bolt HTTP receiver", () => {
  let h: Harness;
  let app: RunningSlackApp;

  afterEach(async () => {
    await app.stop();
  });

  async function start(config?: AccessConfig) {
    h = harness(config);
    app = await startSlackApp(h);
  }

  /** Types `/aws-access` and returns the form once it is filled. */
  async function openForm(text = ""): Promise<View> {
    const fields = slashCommandFields({ user_id: dev.slackId, text, trigger_id: "trigger-form" });
    expect((await deliver(app.events, signedSlashCommand(SIGNING_SECRET, fields))).status).toBe(200);
    await vi.waitFor(() => expect(app.slack.callsTo("views.update")).toHaveLength(1));
    return app.slack.callsTo("views.update")[0]?.args.view as View;
  }

  function submit(values: Record<string, unknown>, privateMetadata: string) {
    const payload = viewSubmissionPayload({
      callbackId: VIEWS.request,
      userId: dev.slackId,
      viewId: String(app.slack.views.keys().next().value ?? "V0"),
      privateMetadata,
      values: values as never,
    });
    return deliver(app.events, signedViewSubmission(SIGNING_SECRET, payload));
  }

  it("opens a loading view with the trigger at once, then fills it with only what the requester may ask for", async () => {
    await start();
    const form = await openForm("prod,staging ReadOnly 2h in 30m");
    const opened = app.slack.callsTo("views.open")[0]?.args;
    expect(opened).toMatchObject({ trigger_id: "trigger-form", view: { callback_id: VIEWS.loading } });
    expect(form.callback_id).toBe(VIEWS.request);
    const blocks = JSON.stringify(form.blocks);
    expect(blocks).toContain('"type":"multi_static_select"');
    expect(blocks).toContain("staging · up to 4h–8h, some need approval");
    expect(blocks).toContain("prod (Production) · up to 4h, needs approval");
    expect(blocks).not.toContain('"value":"root"');
    expect(blocks).toContain('"initial_value":"in 30m"');
    expect(JSON.parse(form.private_metadata ?? "{}")).toMatchObject({
      requester: { email: dev.email, groups: ["Engineers"] },
    });
  });

  it("replaces the loading view with what went wrong, in words, when the requester's lookup fails", async () => {
    await start();
    h.identity.userIdByEmail = async () => {
      throw new FakeOutage("ThrottlingException: arn:aws:sso:::instance/ssoins-secret rate exceeded");
    };
    const shown = await openForm();
    expect(shown.callback_id).toBe(VIEWS.result);
    const text = JSON.stringify(shown.blocks);
    expect(text).toContain("AWS is not answering right now; nothing was changed");
    expect(text).not.toContain("ThrottlingException");
    expect(text).not.toContain("ssoins-secret");
    const [form] = [...app.slack.views.values()];
    expect(form?.view.callback_id).toBe(VIEWS.result);
  });

  it("switches to typeahead past 100 accounts and answers it from the config alone, without a lookup", async () => {
    await start(bigConfig());
    const form = await openForm();
    const blocks = JSON.stringify(form.blocks);
    expect(blocks).toContain('"type":"multi_external_select"');
    expect(blocks).not.toContain("acct-499");
    let lookups = 0;
    h.identity.userIdByEmail = async () => {
      lookups++;
      return undefined;
    };
    const ask = (value: string) =>
      deliver(
        app.events,
        signedBlockSuggestion(
          SIGNING_SECRET,
          blockSuggestionPayload({
            actionId: REQUEST_FIELDS.account.action,
            value,
            privateMetadata: form.private_metadata ?? "",
          }),
        ),
      );
    const typed = await ask("acct-49");
    expect(typed.status).toBe(200);
    const options = (JSON.parse(typed.body) as { options: Array<{ value: string; text: { text: string } }> })
      .options;
    expect(options.map((o) => o.value)).toEqual([
      "acct-49",
      ...Array.from({ length: 10 }, (_, i) => `acct-49${i}`),
    ]);
    expect(options[0]?.text.text).toBe("acct-49 (Team 49) · up to 4h, needs approval");
    const all = JSON.parse((await ask("")).body) as { options: unknown[] };
    expect(all.options).toHaveLength(100);
    const none = JSON.parse((await ask("root")).body) as { options: unknown[] };
    expect(none.options).toEqual([]);
    expect(lookups).toBe(0);
  });

  it("points at a part the requester may not have in the form itself and creates nothing", async () => {
    await start();
    const form = await openForm();
    const res = await submit(
      {
        [REQUEST_FIELDS.account.block]: { [REQUEST_FIELDS.account.action]: multiSelected("prod", "root") },
        [REQUEST_FIELDS.permissionSet.block]: {
          [REQUEST_FIELDS.permissionSet.action]: multiSelected("ReadOnly"),
        },
        [REQUEST_FIELDS.start.block]: { [REQUEST_FIELDS.start.action]: textValue("tomorrow 25:00") },
        [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue("INC-7") },
      },
      form.private_metadata ?? "",
    );
    expect(JSON.parse(res.body)).toEqual({
      response_action: "errors",
      errors: { [REQUEST_FIELDS.start.block]: expect.stringContaining("'25:00' is not a time of day") },
    });
    const fixed = await submit(
      {
        [REQUEST_FIELDS.account.block]: { [REQUEST_FIELDS.account.action]: multiSelected("prod", "root") },
        [REQUEST_FIELDS.permissionSet.block]: {
          [REQUEST_FIELDS.permissionSet.action]: multiSelected("ReadOnly"),
        },
        [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue("INC-7") },
      },
      form.private_metadata ?? "",
    );
    expect(JSON.parse(fixed.body)).toEqual({
      response_action: "errors",
      errors: { [REQUEST_FIELDS.account.block]: expect.stringContaining("`root` is the management account") },
    });
    expect(await h.store.byRequester(dev.slackId)).toEqual([]);
  });

  it("makes one request of several parts from the form and ends on its outcome", async () => {
    await start();
    const form = await openForm();
    const res = await submit(
      {
        [REQUEST_FIELDS.account.block]: { [REQUEST_FIELDS.account.action]: multiSelected("prod") },
        [REQUEST_FIELDS.permissionSet.block]: {
          [REQUEST_FIELDS.permissionSet.action]: multiSelected("ReadOnly", "AdministratorAccess"),
        },
        [REQUEST_FIELDS.duration.block]: { [REQUEST_FIELDS.duration.action]: textValue("2h") },
        [REQUEST_FIELDS.start.block]: { [REQUEST_FIELDS.start.action]: textValue("") },
        [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: textValue("INC-42 rollout") },
      },
      form.private_metadata ?? "",
    );
    expect(JSON.parse(res.body)).toMatchObject({ response_action: "update" });
    await vi.waitFor(() => expect(app.slack.callsTo("views.update")).toHaveLength(2));
    const grants = await h.store.byRequester(dev.slackId);
    expect(grants.map((g) => g.permissionSet.name).sort()).toEqual(["AdministratorAccess", "ReadOnly"]);
    const requestId = grants[0]?.requestId ?? "";
    expect(requestId).toMatch(/^r-/);
    const outcome = JSON.stringify(app.slack.callsTo("views.update")[1]?.args.view);
    expect(outcome).toContain("Request sent");
    expect(outcome).toContain(`Request \`${requestId}\` for 2 parts`);
  });

  it("approves every part of a request with one signed click", async () => {
    await start();
    const fields = slashCommandFields({
      user_id: dev.slackId,
      text: "prod ReadOnly,AdministratorAccess 1h INC-9",
    });
    await deliver(app.events, signedSlashCommand(SIGNING_SECRET, fields));
    await vi.waitFor(async () => expect(await h.store.byRequester(dev.slackId)).toHaveLength(2));
    const [part] = await h.store.byRequester(dev.slackId);
    const click = blockActionPayload({
      actionId: ACTIONS.approve,
      value: part?.id ?? "",
      userId: admin.slackId,
    });
    expect((await deliver(app.events, signedBlockAction(SIGNING_SECRET, click))).status).toBe(200);
    await vi.waitFor(async () =>
      expect((await h.store.byRequester(dev.slackId)).map((g) => g.status)).toEqual(["active", "active"]),
    );
  });
});

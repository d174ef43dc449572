import fc from "fast-check";
import { ACTIONS, DENY_FIELDS, REQUEST_FIELDS, VIEWS } from "../../src/adapters/slack/action-ids.js";
import type { GrantStore } from "../../src/app/ports.js";
import { PEOPLE, SLACK_TEAM } from "./app-harness.js";

/** Marks a field the payload leaves out. */
const MISSING = Symbol("missing");

/** Values of the wrong type, or of the right type but absurd. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 120 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Text that is long, or grows when escaped, or tries to inject mentions. */
export const hugeText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("&<>", "<!channel>", "a", "😀", "`\n>"), fc.integer({ min: 600, max: 40_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/** Mostly the right value, sometimes junk, sometimes absent. */
function maybe<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: valid },
    { weight: 1, arbitrary: junk },
    { weight: 1, arbitrary: fc.constant(MISSING) },
  );
}

/** Grant ids: the seeded ones, well-formed ones that do not exist, and anything else. */
export function grantIds(existing: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...existing),
    fc.stringMatching(/^[23456789abcdefghjkmnpqrstuvwxyz]{8}$/),
    fc.string({ maxLength: 30 }),
    hugeText,
  );
}

const teams = fc.oneof(
  { weight: 4, arbitrary: fc.constant(SLACK_TEAM) },
  { weight: 2, arbitrary: fc.constantFrom("T0OTHER", "E0GRID", "", "t0sandbox") },
  { weight: 1, arbitrary: junk },
);

/** Someone unknown to the bot, mostly well-formed and of our team, or a real approver of another team: never a person who could change things. */
const strangers = fc.stringMatching(/^[UW]9[A-Z0-9]{2,12}$/);
const actors: fc.Arbitrary<{ id: unknown; team: unknown }> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ id: strangers, team: fc.constant(SLACK_TEAM) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      id: maybe(fc.oneof(strangers, fc.string({ maxLength: 20 }))),
      team: maybe(teams),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      id: fc.constantFrom(PEOPLE.admin.slackId, PEOPLE.lead.slackId, PEOPLE.dev.slackId),
      team: fc.constantFrom("T0OTHER", "E0ELSE", "T0SANDBOX "),
    }),
  },
);

function strip(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== MISSING));
}

/** Form fields of a slash command, with repeated keys, wrong values and missing ones. */
export function slashCommands(existing: readonly string[]): fc.Arbitrary<Array<[string, string]>> {
  const text = fc.oneof(
    fc.string({ maxLength: 60 }),
    hugeText,
    fc.constantFrom("", "help", "list", "prod ReadOnly 1h INC-1", "staging ReadOnly 30m x", "prod"),
    grantIds(existing).map((id) => `revoke ${id}`),
    grantIds(existing).map((id) => `extend ${id} 1h`),
  );
  return fc
    .record({
      actor: actors,
      enterprise: fc.option(fc.constantFrom("E0GRID", "E0ELSE"), { nil: undefined }),
      command: fc.oneof({ weight: 5, arbitrary: fc.constant("/aws-access") }, fc.string({ maxLength: 20 })),
      text: fc.oneof({ weight: 8, arbitrary: text.map((t) => [t]) }, fc.array(text, { maxLength: 2 })),
      channel: fc.option(fc.oneof(fc.constant("C0GENERAL"), fc.string({ maxLength: 30 })), {
        nil: undefined,
      }),
      trigger: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      extra: fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 })), { maxLength: 3 }),
    })
    .map(({ actor, enterprise, command, text, channel, trigger, extra }) => {
      const fields: Array<[string, string]> = [["command", command]];
      if (typeof actor.id === "string") fields.push(["user_id", actor.id]);
      if (typeof actor.team === "string") fields.push(["team_id", actor.team]);
      if (enterprise) fields.push(["enterprise_id", enterprise]);
      for (const t of text) fields.push(["text", t]);
      if (channel !== undefined) fields.push(["channel_id", channel]);
      if (trigger !== undefined) fields.push(["trigger_id", trigger]);
      fields.push(["response_url", "http://127.0.0.1:9/respond/fuzz"], ...extra);
      return fields;
    });
}

function user(actor: { id: unknown; team: unknown }): unknown {
  return strip({ id: actor.id, team_id: actor.team, username: "fuzz", name: "fuzz" });
}

/** block_actions payloads: junk actions, unknown action ids, absent or absurd values, any team. */
export function blockActions(existing: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const action = fc.record({
    type: maybe(fc.constant("button")),
    action_id: maybe(fc.oneof(fc.constantFrom(...Object.values(ACTIONS)), fc.string({ maxLength: 30 }))),
    value: maybe(grantIds(existing)),
    block_id: maybe(fc.string({ maxLength: 10 })),
  });
  return fc
    .record({
      actor: actors,
      actions: fc.oneof(
        { weight: 6, arbitrary: fc.array(action.map(strip), { minLength: 1, maxLength: 3 }) },
        {
          weight: 1,
          arbitrary: fc.oneof(
            fc.constant([]),
            fc.constant(null),
            fc.string(),
            fc.integer(),
            fc.array(junk, { maxLength: 2 }),
          ),
        },
      ),
      trigger: maybe(fc.string({ maxLength: 20 })),
      team: maybe(fc.constant({ id: SLACK_TEAM, domain: "sandbox" })),
      channel: maybe(fc.constant({ id: "C0PRODADMIN", name: "approvals" })),
    })
    .map(({ actor, actions, trigger, team, channel }) =>
      strip({
        type: "block_actions",
        user: user(actor),
        actions,
        trigger_id: trigger,
        team,
        channel,
        api_app_id: "A0ACCESS",
        container: { type: "message", message_ts: "1700000000.000100" },
        response_url: "http://127.0.0.1:9/respond/fuzz",
      }),
    );
}

/** view_submission payloads: unknown callback ids, bad private_metadata, junk state, any team. */
export function viewSubmissions(existing: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const input = fc.oneof(
    fc
      .record({
        type: fc.constant("plain_text_input"),
        value: maybe(fc.oneof(fc.string({ maxLength: 40 }), hugeText)),
      })
      .map(strip),
    fc
      .record({
        type: fc.constant("static_select"),
        selected_option: maybe(fc.record({ value: maybe(fc.string({ maxLength: 20 })) }).map(strip)),
      })
      .map(strip),
    junk,
  );
  const fieldIds = [...Object.values(REQUEST_FIELDS), ...Object.values(DENY_FIELDS)];
  const values = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.array(fc.tuple(fc.constantFrom(...fieldIds), input), { maxLength: 5 }).map((entries) => {
        const state: Record<string, Record<string, unknown>> = {};
        for (const [ids, value] of entries) state[ids.block] = { [ids.action]: value };
        return state;
      }),
    },
    { weight: 4, arbitrary: completeForms },
    { weight: 1, arbitrary: junk },
  );
  const metadata = fc.oneof(
    grantIds(existing),
    fc.constantFrom("{", "{}", '{"channel":5}', '{"channel":"C0GENERAL"}', "null", "[]"),
    fc.json({ maxDepth: 2 }),
  );
  return fc
    .record({
      actor: actors,
      callback: maybe(
        fc.oneof(
          fc.constantFrom(VIEWS.request, VIEWS.denyReason, VIEWS.result),
          fc.string({ maxLength: 20 }),
        ),
      ),
      metadata: maybe(metadata),
      values: maybe(values),
      id: maybe(fc.string({ maxLength: 12 })),
    })
    .map(({ actor, callback, metadata, values, id }) =>
      strip({
        type: "view_submission",
        team: { id: SLACK_TEAM, domain: "sandbox" },
        user: user(actor),
        api_app_id: "A0ACCESS",
        trigger_id: "1337.42.view",
        view: strip({
          id,
          type: "modal",
          callback_id: callback,
          private_metadata: metadata,
          state: values === MISSING ? MISSING : { values },
        }),
      }),
    );
}

const typed = (value: string) => ({ type: "plain_text_input", value });
const chosen = (value: string) => ({ type: "static_select", selected_option: { value } });

/** Every field of both forms filled in, with values anywhere from plausible to absurd. */
const completeForms = fc
  .record({
    account: fc.oneof(fc.constantFrom("prod", "staging", "root", "PROD"), fc.string({ maxLength: 30 })),
    permissionSet: fc.oneof(fc.constantFrom("ReadOnly", "AdministratorAccess"), fc.string({ maxLength: 30 })),
    duration: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom("", "1h", "PT4H", "30m") },
      fc.constantFrom("4x", "99999d", "0m"),
      fc.string({ maxLength: 12 }),
    ),
    reason: fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
      hugeText,
      fc.constant("  "),
    ),
  })
  .map(({ account, permissionSet, duration, reason }) => ({
    [REQUEST_FIELDS.account.block]: { [REQUEST_FIELDS.account.action]: chosen(account) },
    [REQUEST_FIELDS.permissionSet.block]: { [REQUEST_FIELDS.permissionSet.action]: chosen(permissionSet) },
    [REQUEST_FIELDS.duration.block]: { [REQUEST_FIELDS.duration.action]: typed(duration) },
    [REQUEST_FIELDS.reason.block]: { [REQUEST_FIELDS.reason.action]: typed(reason) },
    [DENY_FIELDS.reason.block]: { [DENY_FIELDS.reason.action]: typed(reason) },
  }));

/** A store that notes every write except refusal audit rows, so a test can assert nothing changed. */
export function watchedStore(store: GrantStore, writes: string[]): GrantStore {
  const reads = new Set([
    "get",
    "due",
    "byRequester",
    "auditOf",
    "refusalsOn",
    "auditBetween",
    "dueNotices",
    "getTuple",
    "requestParts",
    "recordRefusal",
  ]);
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      const name = String(property);
      return (...args: unknown[]) => {
        if (!reads.has(name)) writes.push(name);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

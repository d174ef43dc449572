import { z } from "zod";
import { parseDuration } from "../domain/duration.js";

/** Words the slash command reads as subcommands, so they cannot be account aliases. */
export const RESERVED_ALIASES = ["help", "list", "revoke", "extend"] as const;

const INSTANCE_ARN = /^arn:aws:sso:::instance\/ssoins-[0-9a-fA-F]+$/;
const PERMISSION_SET_ARN = /^arn:aws:sso:::permissionSet\/ssoins-[0-9a-fA-F]+\/ps-[0-9a-fA-F]+$/;
const IDENTITY_STORE_ID = /^d-[0-9a-zA-Z]{10}$/;
const CHANNEL_ID = /^[CG][A-Z0-9]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** How a YAML value reads in a message: quoted text, bare numbers, or its kind. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

/** The message for a value of the wrong type, or for a required one that is missing. */
const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is required (${what})` : `expected ${what}, got ${describeValue(issue.input)}`;

const text = (what: string) =>
  z.string({ error: expected(what) }).min(1, { error: `must not be empty (expected ${what})`, abort: true });

const matching = (pattern: RegExp, what: string) =>
  text(what).regex(pattern, { error: (issue) => `${describeValue(issue.input)} is not ${what}` });

const channelId = matching(
  CHANNEL_ID,
  "a Slack channel id such as C0123ABCD (C or G, then capitals and digits)",
);

/** A duration in any form parseDuration reads, as seconds; YAML numbers are read as text (so `60` is refused). */
const duration = z.unknown().transform((value, ctx) => {
  const parsed =
    typeof value === "string" || typeof value === "number"
      ? parseDuration(String(value))
      : { ok: false as const, error: expected("a duration such as 4h")({ input: value }) };
  if (parsed.ok) return parsed.seconds;
  ctx.addIssue({ code: "custom", message: parsed.error });
  return z.NEVER;
});

/** Like duration, but `0` (number or text) means off. */
const durationOrOff = z.unknown().transform((value, ctx) => {
  if (value === 0 || value === "0") return 0;
  const parsed = duration.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: "custom", message: `${issue.message}, or 0 for off` });
  return z.NEVER;
});

/** Twelve digits as text; a YAML number is accepted only when no leading zero was lost. */
const accountId = z.unknown().transform((value, ctx) => {
  if (typeof value === "string" && /^\d{12}$/.test(value)) return value;
  if (typeof value === "number" && Number.isInteger(value) && String(value).length === 12)
    return String(value);
  const hint =
    typeof value === "number" && Number.isInteger(value) && value >= 0 && String(value).length < 12
      ? `; quote account ids ("012345678901") so YAML keeps their leading zeros`
      : "";
  ctx.addIssue({ code: "custom", message: `${describeValue(value)} is not a 12-digit account id${hint}` });
  return z.NEVER;
});

const list = <T extends z.ZodType>(item: T) => z.array(item, { error: expected("a list") });

const flag = z.boolean({ error: expected("true or false") });

const principals = z.strictObject(
  {
    groups: list(text("an Identity Center group display name")).default([]),
    emails: list(matching(EMAIL, "an email address")).default([]),
  },
  { error: expected("a mapping with groups and/or emails") },
);

const mapping = (what: string) => ({ error: expected(`a mapping of ${what}`) });

/** One rule of access.yml as written, durations in seconds. */
export const RuleSchema = z.strictObject(
  {
    name: text("a rule name"),
    accounts: list(text('an account alias or "*"')).min(1, {
      error: 'lists no accounts (use ["*"] for all)',
    }),
    permissionSets: list(text('a permission set name or "*"')).min(1, {
      error: 'lists no permission sets (use ["*"] for all)',
    }),
    requesters: principals.optional(),
    autoApprove: flag.default(false),
    approvers: principals.optional(),
    approvalsRequired: z
      .number({ error: expected("a whole number") })
      .int({
        error: (issue) => `${describeValue(issue.input)} is not a whole number of approvals`,
        abort: true,
      })
      .min(1, { error: (issue) => `${describeValue(issue.input)} approvals: at least 1 is required` })
      .default(1),
    allowSelfApproval: flag.default(false),
    maxDuration: duration,
    channel: channelId.optional(),
    requestTimeout: duration.optional(),
    reminderBefore: durationOrOff.optional(),
    approverReminder: durationOrOff.optional(),
  },
  mapping("rule settings"),
);

/** access.yml as written (DESIGN.md, "Config"), before cross-references are checked; durations in seconds. */
export const ConfigSchema = z.strictObject(
  {
    identityCenter: z
      .strictObject(
        {
          instanceArn: matching(
            INSTANCE_ARN,
            "an instance ARN (arn:aws:sso:::instance/ssoins-<hex>)",
          ).optional(),
          identityStoreId: matching(
            IDENTITY_STORE_ID,
            "an identity store id (d- and 10 letters or digits)",
          ).optional(),
          portalUrl: text("an https URL")
            .refine((url) => /^https:\/\/[^\s/]+/.test(url), {
              error: (issue) => `${describeValue(issue.input)} is not an https URL`,
            })
            .optional(),
          managementAccountId: accountId.optional(),
        },
        mapping("Identity Center settings"),
      )
      .prefault({}),
    slack: z.strictObject(
      { approvalChannel: channelId, auditChannel: channelId.optional() },
      mapping("Slack settings"),
    ),
    defaults: z
      .strictObject(
        {
          duration: duration.default(3600),
          minDuration: duration.default(15 * 60),
          requestTimeout: duration.default(2 * 3600),
          reminderBefore: durationOrOff.default(10 * 60),
          approverReminder: durationOrOff.default(30 * 60),
        },
        mapping("default durations"),
      )
      .prefault({}),
    accounts: z.record(
      z.string(),
      z.strictObject({ id: accountId, name: text("an account name").optional() }, mapping("id and name")),
      mapping("alias to { id, name }"),
    ),
    permissionSets: z.record(
      z.string(),
      matching(
        PERMISSION_SET_ARN,
        "a permission set ARN (arn:aws:sso:::permissionSet/ssoins-<hex>/ps-<hex>)",
      ),
      mapping("name to permission set ARN"),
    ),
    rules: list(RuleSchema).min(1, { error: "lists no rules: nobody could request anything" }),
  },
  mapping("identityCenter, slack, defaults, accounts, permissionSets and rules"),
);

export type ParsedConfig = z.output<typeof ConfigSchema>;
export type ParsedRule = z.output<typeof RuleSchema>;

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  element?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
}

/** The keys the object schema at `path` accepts, for "did you mean" on unknown keys. */
export function keysAt(path: readonly PropertyKey[]): string[] {
  let def = (ConfigSchema as unknown as { _zod: { def: Def } })._zod.def;
  let index = 0;
  for (;;) {
    const next = def.innerType ?? def.in;
    if (next) {
      def = next._zod.def;
      continue;
    }
    const step = path[index];
    if (step === undefined) return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
    const child =
      def.type === "object" ? def.shape?.[String(step)] : def.type === "array" ? def.element : def.valueType;
    if (!child) return [];
    def = child._zod.def;
    index += 1;
  }
}

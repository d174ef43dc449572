import { MAX_PARTS } from "../command.js";
import type { AccessConfig } from "../config.js";
import { parseDuration, parseStartText, type StartSpec } from "../duration.js";
import { reasonProblem } from "../reason.js";
import { decideParts } from "./parts.js";
import { describeOffers } from "./request-rules.js";
import type { Actor, RefusalCode } from "./types.js";

/** The request form's fields, as submitted. */
export interface FormInput {
  accounts: readonly string[];
  permissionSets: readonly string[];
  duration: string;
  start: string;
  reason: string;
}

export type FormField = "accounts" | "permissionSets" | "duration" | "start" | "reason";

/** A request the form may send on; the rules check it again, with fresh lookups, when it is made. */
export interface FormAsk {
  account: string[];
  permissionSet: string[];
  durationSeconds?: number;
  start?: StartSpec;
  reason: string;
}

export type FormCheck =
  | { ok: true; ask: FormAsk }
  | { ok: false; errors: Partial<Record<FormField, string>> };

/**
 * Checks a submitted request form without any lookup, so the answer can point at the fields before Slack's 3 s are
 * up: what each field says, and, when the form knows who the requester is (`requester`), the rules themselves.
 */
export function checkRequestForm(
  config: AccessConfig,
  requester: Actor | undefined,
  form: FormInput,
): FormCheck {
  const errors: Partial<Record<FormField, string>> = {};
  const reason = form.reason.trim();
  const reasonError = reasonProblem(reason, { required: true });
  if (reasonError) errors.reason = reasonError;
  if (form.accounts.length === 0) errors.accounts = "Choose at least one account.";
  if (form.permissionSets.length === 0) errors.permissionSets = "Choose at least one permission set.";
  const parts = form.accounts.length * form.permissionSets.length;
  if (parts > MAX_PARTS) {
    errors.accounts = `At most ${MAX_PARTS} parts in one request: ${form.accounts.length} accounts times ${form.permissionSets.length} permission sets make ${parts}.`;
  }
  const duration = form.duration ? parseDuration(form.duration) : undefined;
  if (duration && !duration.ok) errors.duration = duration.error;
  const start = parseStartText(form.start);
  if (!start.ok) errors.start = start.error;
  const ask: FormAsk = {
    account: [...form.accounts],
    permissionSet: [...form.permissionSets],
    reason,
    ...(duration?.ok ? { durationSeconds: duration.seconds } : {}),
    ...(start.ok && start.value ? { start: start.value } : {}),
  };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (requester) {
    const decision = decideParts(config, requester, {
      accounts: ask.account,
      permissionSets: ask.permissionSet,
      ...(ask.durationSeconds === undefined ? {} : { durationSeconds: ask.durationSeconds }),
    });
    if (!decision.ok) {
      const alternatives = ` ${describeOffers(decision.alternatives)}`;
      const message = decision.message.endsWith(alternatives)
        ? decision.message.slice(0, -alternatives.length)
        : decision.message;
      return { ok: false, errors: { [fieldOf(decision.code)]: message } };
    }
  }
  return { ok: true, ask };
}

/** The field a refusal points at. */
function fieldOf(code: RefusalCode): FormField {
  switch (code) {
    case "too-long":
    case "too-short":
      return "duration";
    case "unknown-permission-set":
      return "permissionSets";
    case "not-eligible":
    case "no-rule":
      return "permissionSets";
    default:
      return "accounts";
  }
}

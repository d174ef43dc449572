import { Duration } from "luxon";
import type { AccessConfig, Rule } from "../domain/config.js";
import { formatDuration } from "../domain/duration.js";

/** One line of doctor's report. */
export interface Finding {
  level: "ok" | "WARN" | "FAIL";
  what: string;
}

/** Sessions longer than this outlive a grant's end by more than Identity Center's default allows. */
const SESSION_LIMIT_SECONDS = 3600;

/** The rules that offer a permission set, by its name in the config (`*` offers every one). */
export function rulesOffering(config: AccessConfig, name: string): Rule[] {
  const wanted = name.toLowerCase();
  return config.rules.filter((rule) =>
    rule.permissionSets.some((p) => p === "*" || p.toLowerCase() === wanted),
  );
}

/**
 * Deleting an assignment stops new sign-ins only: a session opened from it lasts its permission set's
 * SessionDuration. Warns where that is longer than 1 h or than the maxDuration of a rule offering the set.
 */
export function sessionFinding(
  config: AccessConfig,
  name: string,
  sessionDuration: string,
  /** The permission set's name in Identity Center, where it differs from the config's. */
  consoleName = name,
): Finding {
  const parsed = Duration.fromISO(sessionDuration);
  const seconds = parsed.isValid ? parsed.as("seconds") : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    return {
      level: "WARN",
      what: `permission set ${name}: session duration '${sessionDuration}' cannot be read`,
    };
  }
  const rules = rulesOffering(config, name);
  const lasts = `${formatDuration(seconds)} (${sessionDuration})`;
  const over = [
    ...(seconds > SESSION_LIMIT_SECONDS ? ["1h"] : []),
    ...rules
      .filter((rule) => seconds > rule.maxDurationSeconds)
      .map((rule) => `rule ${rule.name}'s maxDuration of ${formatDuration(rule.maxDurationSeconds)}`),
  ];
  if (over.length === 0)
    return { level: "ok", what: `permission set ${name}: sessions last at most ${lasts}` };
  const offered =
    rules.length > 0 ? `offered by ${rules.map((r) => r.name).join(", ")}` : "offered by no rule";
  return {
    level: "WARN",
    what:
      `permission set ${name} (${offered}): sessions last up to ${lasts}, longer than ${over.join(" and ")}; ` +
      `a session opened before a grant ends keeps working up to ${formatDuration(seconds)} after it. ` +
      `Shorten it in IAM Identity Center: Permission sets > ${consoleName} > Edit > Session duration (1 hour is the default)`,
  };
}

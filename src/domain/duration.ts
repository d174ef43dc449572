import { Duration } from "luxon";

/** Shown whenever a duration is refused. */
export const DURATION_FORMS = "30m, 4h, 1h30m, 1d or PT4H";

const COMPACT = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/i;
const ISO = /^P/i;
const MAX_SECONDS = 366 * 24 * 3600;

export type DurationResult = { ok: true; seconds: number } | { ok: false; error: string };

/** Parses `30m`, `4h`, `1h30m`, `90m`, `1d` or an ISO 8601 duration such as `PT4H`, into whole seconds. */
export function parseDuration(text: string): DurationResult {
  const token = text.trim();
  const refused: DurationResult = {
    ok: false,
    error: `'${token}' is not a duration (use ${DURATION_FORMS})`,
  };
  if (token.length === 0 || token.length > 32) return refused;
  let seconds: number | undefined;
  const compact = COMPACT.exec(token);
  if (compact && (compact[1] ?? compact[2] ?? compact[3]) !== undefined) {
    const [d, h, m] = [compact[1], compact[2], compact[3]].map((part) => Number(part ?? 0));
    seconds = ((d ?? 0) * 24 * 60 + (h ?? 0) * 60 + (m ?? 0)) * 60;
  } else if (ISO.test(token) && /\d/.test(token)) {
    const iso = Duration.fromISO(token.toUpperCase());
    if (iso.isValid && !/[YM].*T|^P\d+[YM]/i.test(token.split("T")[0] ?? "")) {
      seconds = Math.round(iso.as("seconds"));
    }
  }
  if (seconds === undefined || !Number.isFinite(seconds)) return refused;
  if (seconds <= 0) return { ok: false, error: `'${token}' is not a duration: it must be longer than zero` };
  if (seconds % 60 !== 0)
    return { ok: false, error: `'${token}' is not whole minutes (use ${DURATION_FORMS})` };
  if (seconds > MAX_SECONDS) return { ok: false, error: `'${token}' is too long: at most 366 days` };
  return { ok: true, seconds };
}

/** Formats seconds the way users type them: `1d2h30m`, `4h`, `45m` (seconds are rounded up to a minute). */
export function formatDuration(seconds: number): string {
  let minutes = Math.ceil(seconds / 60);
  const days = Math.floor(minutes / (24 * 60));
  minutes -= days * 24 * 60;
  const hours = Math.floor(minutes / 60);
  minutes -= hours * 60;
  const parts = [days ? `${days}d` : "", hours ? `${hours}h` : "", minutes ? `${minutes}m` : ""].join("");
  return parts === "" ? "0m" : parts;
}

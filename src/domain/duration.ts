import { DateTime, Duration } from "luxon";

/** Shown whenever a duration is refused. */
export const DURATION_FORMS = "30m, 4h, 1h30m, 1d or PT4H";

const COMPACT = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/i;
const ISO = /^P/i;
const MAX_SECONDS = 366 * 24 * 3600;
/** Units whose length depends on the calendar (a month is 28 to 31 days): never a fixed span of access. */
const CALENDAR_UNITS = ["years", "quarters", "months"] as const;

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
    if (iso.isValid && !CALENDAR_UNITS.some((unit) => unit in iso.toObject())) {
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

/** How far ahead a request may be scheduled to start. */
export const MAX_START_AHEAD_SECONDS = 7 * 24 * 3600;

/** Shown whenever a start is refused. */
export const START_FORMS = "at 14:00, at tomorrow 09:00, at 2026-12-01 09:30 or in 30m";

/**
 * When a request starts, as typed: a while after the request, or a wall-clock time in the requester's time zone
 * (`day` absent: the next time the clock shows `time`; `today`, `tomorrow` or a `YYYY-MM-DD` date otherwise).
 */
export type StartSpec = { kind: "in"; seconds: number } | { kind: "at"; day?: string; time: string };

/** A token shaped like a clock time (`14:00`, `9:30`): a time, or an error, never the start of a reason. */
export const TIME_SHAPE = /^\d{1,2}:\d{2}$/;
/** A token shaped like a date (`2026-12-01`). */
export const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
/** Words that name a day when a time follows them. */
export const DAY_WORDS = ["today", "tomorrow"] as const;

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** `9:30` -> `09:30`; hours 0-23, minutes 0-59. */
export function parseClockTime(token: string): Parsed<string> {
  const [h = "", m = ""] = token.split(":");
  const hour = Number(h);
  const minute = Number(m);
  if (!TIME_SHAPE.test(token) || hour > 23 || minute > 59) {
    return {
      ok: false,
      error: `'${token.slice(0, 40)}' is not a time of day (use 24-hour HH:MM, e.g. 14:00)`,
    };
  }
  return { ok: true, value: `${String(hour).padStart(2, "0")}:${m}` };
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function parseCalendarDate(token: string): Parsed<string> {
  const valid = DATE_SHAPE.test(token) && DateTime.fromISO(token, { zone: "utc" }).isValid;
  return valid
    ? { ok: true, value: token }
    : { ok: false, error: `'${token.slice(0, 40)}' is not a date (use YYYY-MM-DD, e.g. 2026-12-01)` };
}

/** The start as users type it after the duration: `in 30m`, `at 14:00`, `at tomorrow 09:00`. */
export function formatStart(start: StartSpec): string {
  if (start.kind === "in") return `in ${formatDuration(start.seconds)}`;
  return start.day === undefined ? `at ${start.time}` : `at ${start.day} ${start.time}`;
}

/**
 * A start typed on its own (the request form's field): `14:00`, `at 14:00`, `tomorrow 09:00`,
 * `2026-12-01 09:30` or `in 30m`; empty text is no start.
 */
export function parseStartText(text: string): Parsed<StartSpec | undefined> {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== "");
  if (words.length === 0) return { ok: true, value: undefined };
  const refused = {
    ok: false as const,
    error: `'${text.trim().slice(0, 40)}' is not a start (use ${START_FORMS})`,
  };
  const [first = "", ...rest] = words;
  if (first.toLowerCase() === "in") {
    if (rest.length !== 1) return refused;
    const duration = parseDuration(rest[0] ?? "");
    return duration.ok ? { ok: true, value: { kind: "in", seconds: duration.seconds } } : duration;
  }
  const at = first.toLowerCase() === "at" ? rest : words;
  if (at.length === 1) {
    if (!TIME_SHAPE.test(at[0] ?? "")) return refused;
    const time = parseClockTime(at[0] ?? "");
    return time.ok ? { ok: true, value: { kind: "at", time: time.value } } : time;
  }
  if (at.length !== 2) return refused;
  const [dayWord = "", timeWord = ""] = at;
  const day = DAY_WORDS.find((word) => word === dayWord.toLowerCase()) ?? parseCalendarDate(dayWord);
  if (typeof day !== "string" && !day.ok) return DATE_SHAPE.test(dayWord) ? day : refused;
  const time = parseClockTime(timeWord);
  if (!time.ok) return time;
  return {
    ok: true,
    value: { kind: "at", day: typeof day === "string" ? day : day.value, time: time.value },
  };
}

export type StartResult = { ok: true; at: number } | { ok: false; error: string };

/**
 * The moment a start names, in epoch ms: `at` times are read in `zone` (an IANA name; UTC when missing or
 * unknown). Refused when it is past or more than seven days ahead; an `at` time without a day is its next one.
 */
export function resolveStart(start: StartSpec, now: number, zone: string | undefined): StartResult {
  let at: number;
  let shown: string;
  if (start.kind === "in") {
    at = now + start.seconds * 1000;
    shown = formatStart(start);
  } else {
    const here = DateTime.fromMillis(now, { zone: zone ?? "utc" });
    const local = here.isValid ? here : DateTime.fromMillis(now, { zone: "utc" });
    const [hour = 0, minute = 0] = start.time.split(":").map(Number);
    const day =
      start.day === undefined || start.day === "today"
        ? local
        : start.day === "tomorrow"
          ? local.plus({ days: 1 })
          : DateTime.fromISO(start.day, { zone: local.zone });
    let moment = day.set({ hour, minute, second: 0, millisecond: 0 });
    if (start.day === undefined && moment.toMillis() <= now) moment = moment.plus({ days: 1 });
    at = moment.toMillis();
    shown = `${formatStart(start)} (${local.zoneName ?? "UTC"})`;
  }
  if (at <= now) return { ok: false, error: `The start ${shown} is already past; give a time ahead.` };
  if (at - now > MAX_START_AHEAD_SECONDS * 1000) {
    return { ok: false, error: `The start ${shown} is more than 7 days ahead; ask closer to the time.` };
  }
  return { ok: true, at };
}

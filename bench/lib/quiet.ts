/** JSON log lines written while muted, counted by message (errors apart). */
export interface MutedLog {
  logged: Map<string, number>;
  errors: Map<string, number>;
  restore(): void;
}

/**
 * Keeps the handlers that run in this process off the results: their JSON log lines (stdout, and stderr where the
 * Lambda functions' logger writes warnings and errors) are counted by message instead, until `restore()`. Other
 * stderr lines, such as progress, still print.
 */
export function muteLogs(): MutedLog {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const logged = new Map<string, number>();
  const errors = new Map<string, number>();
  const count = (line: string) => countLogLine(line, logged, errors);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split("\n")) {
      if (line.trim() && !count(line)) logged.set("(not JSON)", (logged.get("(not JSON)") ?? 0) + 1);
    }
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    const rest = String(chunk)
      .split("\n")
      .filter((line) => !line.trim().startsWith("{") || !count(line));
    return rest.some((line) => line.trim()) ? err(rest.join("\n")) : true;
  }) as typeof process.stderr.write;
  const restore = () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
  return { logged, errors, restore };
}

/**
 * Counts a JSON log line by its message: the server's `msg` and `level: error`, Powertools' `message` and
 * `level: ERROR`, and embedded-metric lines (no message) as "(metric)". False when the line is not a JSON object.
 */
export function countLogLine(
  line: string,
  logged: Map<string, number>,
  errors: Map<string, number>,
): boolean {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof entry !== "object" || entry === null) return false;
  const { msg, message, level } = entry as { msg?: string; message?: string; level?: string };
  const name = msg ?? message ?? ("_aws" in entry ? "(metric)" : "?");
  logged.set(name, (logged.get(name) ?? 0) + 1);
  if (String(level).toLowerCase() === "error") errors.set(name, (errors.get(name) ?? 0) + 1);
  return true;
}

/** Adds the counts of `from` to `into`. */
export function addCounts(into: Map<string, number>, from: Map<string, number>): void {
  for (const [msg, n] of from) into.set(msg, (into.get(msg) ?? 0) + n);
}

/** `msg xN; …`, most frequent first. */
export function countsText(counts: Map<string, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([msg, n]) => `${msg} x${n}`)
    .join("; ");
}

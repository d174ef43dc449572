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
  const count = (line: string): boolean => {
    try {
      const entry = JSON.parse(line) as { msg?: string; message?: string; level?: string };
      const msg = entry.msg ?? entry.message ?? "?";
      logged.set(msg, (logged.get(msg) ?? 0) + 1);
      if (String(entry.level).toLowerCase() === "error") errors.set(msg, (errors.get(msg) ?? 0) + 1);
      return true;
    } catch {
      return false;
    }
  };
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

/** `msg xN; …`, most frequent first. */
export function countsText(counts: Map<string, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([msg, n]) => `${msg} x${n}`)
    .join("; ");
}

/** JSON log lines written to stdout while muted, counted by message (errors apart). */
export interface MutedLog {
  logged: Map<string, number>;
  errors: Map<string, number>;
  restore(): void;
}

/**
 * Keeps the handlers that run in this process (their loggers write JSON lines to stdout) off the results: counts
 * their lines by `msg` instead, until `restore()`.
 */
export function muteStdout(): MutedLog {
  const write = process.stdout.write.bind(process.stdout);
  const logged = new Map<string, number>();
  const errors = new Map<string, number>();
  process.stdout.write = ((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split("\n")) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { msg?: string; message?: string; level?: string };
        const msg = entry.msg ?? entry.message ?? "?";
        logged.set(msg, (logged.get(msg) ?? 0) + 1);
        if (String(entry.level).toLowerCase() === "error") errors.set(msg, (errors.get(msg) ?? 0) + 1);
      } catch {
        logged.set("(not JSON)", (logged.get("(not JSON)") ?? 0) + 1);
      }
    }
    return true;
  }) as typeof process.stdout.write;
  const restore = () => {
    process.stdout.write = write;
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

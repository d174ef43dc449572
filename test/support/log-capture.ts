import { vi } from "vitest";

/** What a process wrote while captured: raw chunks, and those that are JSON objects (log and metric lines). */
export interface LogCapture {
  lines: string[];
  logged(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Captures stdout and stderr, as CloudWatch Logs receives both from a Lambda function: Powertools writes warnings
 * and errors to stderr. `passThrough` still prints them.
 */
export function captureLogs(options: { passThrough?: boolean } = {}): LogCapture {
  const lines: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write.bind(stream);
    return vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      lines.push(String(chunk));
      return options.passThrough ? write(chunk, ...rest) : true;
    }) as typeof stream.write);
  });
  return {
    lines,
    logged: () =>
      lines.flatMap((chunk) =>
        chunk
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .flatMap((line) => {
            try {
              return [JSON.parse(line) as Record<string, unknown>];
            } catch {
              return [];
            }
          }),
      ),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

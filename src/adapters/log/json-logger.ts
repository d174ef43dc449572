import type { Logger } from "../../app/ports.js";
import { redact } from "./redact.js";

/** Where finished log lines go; stdout in Lambda, where CloudWatch Logs picks them up. */
export type LineSink = (line: string) => void;

/** Namespace of the bot's own CloudWatch metrics; the stack's alarms watch it. */
export const METRIC_NAMESPACE = "AwsAccess";

type Level = "info" | "warn" | "error";

const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};

export interface JsonLoggerOptions {
  /** Fields on every line, e.g. the function name. */
  base?: Record<string, unknown>;
  sink?: LineSink;
  now?: () => number;
}

/** One JSON object per line, so CloudWatch Logs Insights can filter on any field. */
export class JsonLogger implements Logger {
  private readonly base: Record<string, unknown>;
  private readonly sink: LineSink;
  private readonly now: () => number;

  constructor(options: JsonLoggerOptions = {}) {
    this.base = options.base ?? {};
    this.sink = options.sink ?? stdoutSink;
    this.now = options.now ?? Date.now;
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.write("info", msg, fields);
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write("warn", msg, fields);
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this.write("error", msg, fields);
  }

  /** A logger that adds `fields` to every line, e.g. a grant id for one request. */
  child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger({ base: { ...this.base, ...fields }, sink: this.sink, now: this.now });
  }

  private write(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    const line = {
      ...redact({ ...this.base, ...fields }),
      level,
      time: new Date(this.now()).toISOString(),
      msg,
    };
    this.sink(JSON.stringify(line));
  }
}

export interface MetricOptions {
  sink?: LineSink;
  now?: () => number;
  unit?: "Count" | "Seconds" | "Milliseconds";
  namespace?: string;
}

/** The CloudWatch Embedded Metric Format document for one value: a log line that becomes a metric. */
export function metricLine(
  name: string,
  value: number,
  dims: Record<string, string>,
  at: number,
  options: Pick<MetricOptions, "unit" | "namespace"> = {},
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: options.namespace ?? METRIC_NAMESPACE,
          Dimensions: [Object.keys(dims)],
          Metrics: [{ Name: name, Unit: options.unit ?? "Count" }],
        },
      ],
    },
    ...dims,
    [name]: value,
  };
}

/** Publishes a metric without an API call: CloudWatch extracts it from the Lambda's log line. */
export function metric(
  name: string,
  value = 1,
  dims: Record<string, string> = {},
  options: MetricOptions = {},
): void {
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? Date.now;
  sink(JSON.stringify(metricLine(name, value, dims, now(), options)));
}

import { Logger as Powertools } from "@aws-lambda-powertools/logger";
import type { Logger } from "../../app/ports.js";
import { redact } from "./redact.js";

/** Service name on every line when POWERTOOLS_SERVICE_NAME is not set. */
const SERVICE = "aws-access";

/** Keys Powertools writes itself: a caller's field of the same name is kept as `field_<name>` instead. */
const OWN_KEYS = new Set([
  "level",
  "message",
  "timestamp",
  "service",
  "sampling_rate",
  "cold_start",
  "function_arn",
  "function_memory_size",
  "function_name",
  "function_request_id",
  "xray_trace_id",
  "tenant_id",
  "function",
]);

/** The part of Lambda's context object that Powertools reads for the request id and the function. */
interface InvocationFacts {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
}

function isInvocation(context: unknown): context is InvocationFacts {
  return (
    typeof context === "object" &&
    context !== null &&
    typeof (context as { awsRequestId?: unknown }).awsRequestId === "string"
  );
}

function fieldsOf(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (fields === undefined) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(redact(fields)))
    out[OWN_KEYS.has(key) ? `field_${key}` : key] = value;
  return out;
}

/**
 * The Logger port on Powertools' Logger, for the Lambda functions: level from POWERTOOLS_LOG_LEVEL (or LOG_LEVEL,
 * or Lambda's own log level setting), the request id and cold start once `addContext` is called per invocation,
 * and the same secret redaction as the server's JsonLogger.
 */
export class LambdaLogger implements Logger {
  private readonly logger: Powertools;

  /** `fn` names the function (slack, worker, revoker) on every line, also before the first invocation's context. */
  constructor(fn: string) {
    this.logger = new Powertools({
      ...(process.env.POWERTOOLS_SERVICE_NAME ? {} : { serviceName: SERVICE }),
      persistentKeys: { function: fn },
    });
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.logger.info(msg, fieldsOf(fields));
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this.logger.warn(msg, fieldsOf(fields));
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this.logger.error(msg, fieldsOf(fields));
  }

  /** Puts this invocation's request id and cold start on the lines that follow; a call without Lambda's context (tests) changes nothing. */
  addContext(context: unknown): void {
    if (isInvocation(context)) this.logger.addContext(context);
  }
}

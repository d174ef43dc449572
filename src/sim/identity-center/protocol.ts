/** An AWS JSON 1.1 error answer: `__type` in the body and `x-amzn-ErrorType`, as the SDK parses them. */
export class SimError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = type;
  }
}

export type Input = Record<string, unknown>;

export function validation(message: string): SimError {
  return new SimError("ValidationException", message);
}

export function notFound(message: string, extra: Record<string, unknown> = {}): SimError {
  return new SimError("ResourceNotFoundException", message, 400, extra);
}

/** A required string member, or ValidationException naming it. */
export function requireString(input: Input, name: string): string {
  const value = input[name];
  if (typeof value !== "string" || value === "") throw validation(`${name} is required`);
  return value;
}

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw validation(`${name} must be a string`);
  return value;
}

export function requireObject(input: Input, name: string): Input {
  const value = input[name];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw validation(`${name} is required`);
  }
  return value as Input;
}

/** One page of `items` from NextToken/MaxResults; tokens are opaque offsets. */
export function paginate<T>(
  items: readonly T[],
  input: Input,
  limits: { defaultMax: number; max: number },
): { page: T[]; nextToken?: string } {
  const maxResults = input.MaxResults;
  let size = limits.defaultMax;
  if (maxResults !== undefined && maxResults !== null) {
    if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1) {
      throw validation("MaxResults must be a positive integer");
    }
    if (maxResults > limits.max) throw validation(`MaxResults must be at most ${limits.max}`);
    size = maxResults;
  }
  const token = optionalString(input, "NextToken");
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^off:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!decoded?.[1]) throw validation("NextToken is invalid");
    offset = Number(decoded[1]);
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length
    ? { page, nextToken: Buffer.from(`off:${next}`, "utf8").toString("base64url") }
    : { page };
}

/** Timestamps in AWS JSON 1.1 are epoch seconds. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** Deterministic PRNG (mulberry32) so fault injection repeats run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Field names whose values are never written, whatever a caller passes by mistake. */
const SECRET_FIELD = /secret|token|password|signature|authorization|cookie/i;

const REDACTED = "[redacted]";

function plain(value: unknown, depth: number): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: value.message,
      ...(typeof code === "string" ? { code } : {}),
      ...(value.cause !== undefined && depth < 3 ? { cause: plain(value.cause, depth + 1) } : {}),
    };
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return depth < 5 ? value.map((item) => plain(item, depth + 1)) : "[array]";
  if (value !== null && typeof value === "object") {
    return depth < 5 ? redact(value as Record<string, unknown>, depth + 1) : "[object]";
  }
  return value;
}

/** Log fields as plain JSON, with secret-looking fields blanked at any depth and errors as name, message, code, cause. */
export function redact(fields: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = SECRET_FIELD.test(key) ? REDACTED : plain(value, depth);
  }
  return out;
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigSchema } from "../../../src/config/schema.js";
import { formatDuration } from "../../../src/domain/duration.js";

const root = new URL("../../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const REFERENCE = read("docs/configuration.md");
const EXAMPLE = read("access.example.yml");

/** The parts of a zod definition this walk reads (zod 4 keeps them on `_zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  innerType?: Schema;
  in?: Schema;
  defaultValue?: unknown;
}
type Schema = { _zod: { def: Def } };

/** One key the schema accepts: its path (`*` for a record's keys and a list's items) and its default, if any. */
interface Key {
  path: string[];
  default?: string;
}

/** How the reference writes a default: durations as typed, everything else as YAML would. */
function written(value: unknown, inner: Def): string {
  if (inner.type === "pipe" && typeof value === "number") return formatDuration(value);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Every key of the config schema, depth first, with the default it declares. */
function keysOf(schema: Schema, path: string[] = []): Key[] {
  let def = schema._zod.def;
  let declared: string | undefined;
  for (;;) {
    if (def.type === "default" && def.innerType && declared === undefined) {
      declared = written(def.defaultValue, def.innerType._zod.def);
    }
    const next = def.innerType ?? (def.type === "pipe" ? undefined : def.in);
    if (!next) break;
    def = next._zod.def;
  }
  const here: Key[] = path.length === 0 ? [] : [{ path, ...(declared ? { default: declared } : {}) }];
  if (def.type === "object") {
    const children = Object.entries(def.shape ?? {}).flatMap(([key, child]) => keysOf(child, [...path, key]));
    return [...here, ...children];
  }
  const item = def.type === "array" ? def.element : def.type === "record" ? def.valueType : undefined;
  return item ? [...here, ...keysOf(item, [...path, "*"])] : here;
}

/** The text of the reference under the `## \`section\`` heading, up to the next heading of that level. */
function section(name: string): string {
  const start = REFERENCE.search(new RegExp(`^## \`${name}\``, "m"));
  if (start < 0) return "";
  const rest = REFERENCE.slice(start + 1);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/** The cells of the table row whose first cell is the key in backticks, in a section. */
function rowOf(text: string, key: string): string[] | undefined {
  const line = text.split("\n").find((row) => row.startsWith(`| \`${key}\` |`));
  return line?.split("|").map((cell) => cell.trim());
}

/** Keys of a parsed value, in the walk's terms: a record's keys and a list's items become `*`. */
function parsedPaths(value: unknown, path: string[] = [], record = false): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => parsedPaths(item, [...path, "*"]));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const next = [...path, record ? "*" : key];
    const isRecord = path.length === 0 && (key === "accounts" || key === "permissionSets");
    return [next.join("."), ...parsedPaths(child, next, isRecord)];
  });
}

const KEYS = keysOf(ConfigSchema as unknown as Schema);
const NAMED = KEYS.filter((key) => key.path.at(-1) !== "*");

describe("the configuration reference", () => {
  it("finds every key the example config sets in the walk of the schema", () => {
    const walked = new Set(KEYS.map((key) => key.path.join(".")));
    const parsed = ConfigSchema.parse(parse(EXAMPLE));
    const missing = parsedPaths(parsed).filter((path) => !walked.has(path));
    expect(missing).toEqual([]);
    expect(walked).toContain("rules.*.approvers.emails");
  });

  it.each(NAMED.filter((key) => key.path.length === 1).map((key) => key.path[0] as string))(
    "has a section for %s",
    (name) => {
      expect(section(name)).not.toBe("");
    },
  );

  it.each(NAMED.filter((key) => key.path.length > 1).map((key) => [key.path.join("."), key] as const))(
    "documents %s in its section's table, with the schema's default",
    (_name, key) => {
      const leaf = key.path.at(-1) as string;
      const row = rowOf(section(key.path[0] as string), leaf);
      expect(row, `no table row for \`${leaf}\` under ${key.path[0]}`).toBeDefined();
      if (key.default !== undefined) expect(row?.[3]).toContain(`\`${key.default}\``);
    },
  );

  it("shows the example config exactly as access.example.yml ships it", () => {
    const block = /## The example `access\.yml`[\s\S]*?```yaml\n([\s\S]*?)```/.exec(REFERENCE)?.[1];
    expect(block).toBe(EXAMPLE);
  });
});

/** HTML that is safe to insert: built only by `html`, `escapeHtml` and the renderers on top of them. */
export interface Html {
  readonly __html: string;
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text as HTML text or attribute content: every character that could open markup is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** Marks a string the caller built from escaped parts. */
export function trusted(markup: string): Html {
  return { __html: markup };
}

function isHtml(value: unknown): value is Html {
  return typeof value === "object" && value !== null && "__html" in value;
}

type Part = Html | string | number | undefined | null | false | Part[];

function partToString(part: Part): string {
  if (part === undefined || part === null || part === false) return "";
  if (Array.isArray(part)) return part.map(partToString).join("");
  if (isHtml(part)) return part.__html;
  return escapeHtml(String(part));
}

/** A template tag: interpolated strings are escaped, Html values are kept, arrays are joined. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? "";
  parts.forEach((part, i) => {
    out += partToString(part) + (strings[i + 1] ?? "");
  });
  return trusted(out);
}

/** Joins already-safe fragments. */
export function join(parts: Html[], separator = ""): Html {
  return trusted(parts.map((p) => p.__html).join(separator));
}

/** `data-*` attributes from a record; values escaped, undefined ones left out. */
export function dataAttributes(data: Record<string, string | undefined>): Html {
  const pairs = Object.entries(data)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` data-${key.replace(/[^a-z0-9-]/g, "")}="${escapeHtml(value)}"`);
  return trusted(pairs.join(""));
}

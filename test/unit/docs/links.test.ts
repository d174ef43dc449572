import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOCUMENTS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The text outside fenced code blocks: pictures and examples are not links or headings. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a document's headings make, numbered the way GitHub numbers repeats. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading ?? "");
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

/** Relative link targets (images included), without web addresses. */
function linksOf(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => !/^[a-z]+:/i.test(target));
}

/** Repository paths named in inline code, such as `src/app/engine.ts`; patterns and placeholders are left out. */
function pathsOf(markdown: string): string[] {
  return [...prose(markdown).matchAll(/`((?:src|test|infra|bench|docs)\/[^`\s]*)`/g)]
    .map((match) => match[1] ?? "")
    .filter((path) => !/[*…<>{}]/.test(path));
}

describe.each(DOCUMENTS)("%s", (document) => {
  const markdown = read(document);
  const here = dirname(document);

  it("links only to files and headings that exist", () => {
    const broken = linksOf(markdown).filter((target) => {
      const [file = "", anchor] = target.split("#");
      const path = file === "" ? document : relative(ROOT, join(ROOT, here, decodeURI(file)));
      if (!existsSync(join(ROOT, path))) return true;
      return anchor !== undefined && path.endsWith(".md") && !anchorsOf(read(path)).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it("names only source and test paths that exist", () => {
    const missing = pathsOf(markdown).filter((path) => !existsSync(join(ROOT, path)));
    expect(missing).toEqual([]);
  });
});

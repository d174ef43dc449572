import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/** Longer than this, a function says why in a comment before it (the word "long" and the reason). */
const MAX_LINES = 60;
const SAYS_LONG = /(?<![-\w])long(?![-\w])/i;

interface LongFunction {
  where: string;
  name: string;
  lines: number;
  explained: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every function, method and arrow function in `text` longer than MAX_LINES, first line to last. */
function longFunctions(file: string, text: string): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const lines = source.getLineAndCharacterOfPosition(node.getEnd()).line - first + 1;
      if (lines > MAX_LINES) {
        const where = `${file}:${first + 1}`;
        found.push({ where, name: nameOf(node, source), lines, explained: explained(node, text) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) return parent.name.getText(source);
  return "(anonymous)";
}

/** Whether a comment before the function, or before the statement or member it is part of, says why it is long. */
function explained(node: ts.Node, text: string): boolean {
  let at: ts.Node | undefined = node;
  while (at) {
    const comments = ts.getLeadingCommentRanges(text, at.getFullStart()) ?? [];
    if (comments.some((c) => SAYS_LONG.test(text.slice(c.pos, c.end)))) return true;
    if (ts.isStatement(at) || ts.isClassElement(at) || ts.isObjectLiteralElement(at)) return false;
    at = at.parent;
  }
  return false;
}

const body = (lines: number) => Array.from({ length: lines }, (_, n) => `  const a${n} = ${n};`).join("\n");

describe("long functions", () => {
  it("keeps every function in src/ and infra/ to 60 lines, unless a comment before it says why it is long", () => {
    const found = ["src", "infra"]
      .flatMap(tsFiles)
      .flatMap((file) => longFunctions(file, readFileSync(file, "utf8")));
    const unexplained = found
      .filter((f) => !f.explained)
      .map((f) => `${f.where} ${f.name}: ${f.lines} lines`);
    expect(unexplained).toEqual([]);
  });

  it("finds long functions, methods and arrow functions, and accepts those whose comment says why", () => {
    const text = [
      `export function plain() {\n${body(60)}\n}`,
      `/** One table of handlers: long on purpose. */\nexport const table = () => {\n${body(60)}\n};`,
      `class Shop {\n  // Long, as each step reads best next to the others.\n  method() {\n${body(60)}\n  }\n}`,
      `const handlers = {\n  each: (x: number) => {\n${body(60)}\n  },\n};`,
      `/** A long-running server, which is no reason. */\nfunction serve() {\n${body(60)}\n}`,
      `function short() {\n${body(58)}\n}`,
    ].join("\n");
    const found = longFunctions("sample.ts", text).map((f) => [f.name, f.lines, f.explained]);
    expect(found).toEqual([
      ["plain", 62, false],
      ["table", 62, true],
      ["method", 62, true],
      ["each", 62, false],
      ["serve", 62, false],
    ]);
  });
});

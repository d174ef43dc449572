import { readFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { ConfigInvalid } from "../../src/config/errors.js";
import { parseConfig } from "../../src/config/load.js";

/** The path of a file under test/fixtures/config. */
export const fixture = (name: string) => new URL(`../fixtures/config/${name}`, import.meta.url).pathname;
/** A config every check accepts, which each refusal case breaks in one place. */
export const VALID = readFileSync(fixture("valid.yml"), "utf8");

type Step = string | number;
/** A path into the YAML document and the value to put there. */
export type Edit = [path: Step[], value: unknown];

/** The valid fixture with each edit applied; `undefined` deletes the key. */
export function edited(edits: Edit[]): string {
  const doc: unknown = parse(VALID);
  for (const [path, value] of edits) {
    let node = doc as Record<Step, unknown>;
    for (const step of path.slice(0, -1)) node = node[step] as Record<Step, unknown>;
    const last = path.at(-1) as Step;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return stringify(doc);
}

/** The problems parseConfig lists for a text, failing the test when it accepts the text. */
export function problemsOf(yamlText: string): string[] {
  try {
    parseConfig(yamlText);
  } catch (error) {
    if (error instanceof ConfigInvalid) return error.problems;
    throw error;
  }
  throw new Error("the config was accepted");
}

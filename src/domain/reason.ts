import { MAX_REASON_LENGTH } from "./grammar.js";

/**
 * What is wrong with a reason, in the words the request form, the deny form and the use cases show; undefined when
 * nothing is. Counted in characters (code points) as given, as the grammar counts them. `required`: a request needs
 * one, a denial does not.
 */
export function reasonProblem(reason: string, options: { required: boolean }): string | undefined {
  const length = [...reason].length;
  if (length === 0 && options.required) return "A reason is required: say why you need the access.";
  if (length > MAX_REASON_LENGTH) return `The reason is ${length} characters; at most ${MAX_REASON_LENGTH}.`;
  return undefined;
}

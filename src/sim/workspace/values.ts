import { findElement } from "./blocks.js";
import { isRecord, type Json, list, optionsOf, str } from "./elements.js";
import { decodeSlackEntities } from "./mrkdwn.js";

/** One field as the page read it: a text, chosen option values, or options picked from suggestions. */
export interface PageValue {
  blockId: string;
  actionId: string;
  type: string;
  value?: string | null;
  values?: string[];
  /** Options picked in an external select, with the label the bot gave them. */
  picked?: Array<{ value: string; label: string }>;
}

function optionByValue(element: Json, value: string): Json | undefined {
  return optionsOf(element).find((option) => str(option.value) === value);
}

function pickedOption(p: { value: string; label: string }): Json {
  return { text: { type: "plain_text", text: p.label, emoji: true }, value: p.value };
}

/** What Slack reports for one element's current value (in view state or in a block action). */
export function valueState(element: Json | undefined, v: PageValue): Json {
  const el = element ?? {};
  const chosen = (values: string[]) => values.map((x) => optionByValue(el, x)).filter(isRecord);
  switch (v.type) {
    case "static_select":
    case "radio_buttons":
    case "overflow": {
      const option = v.value ? optionByValue(el, v.value) : undefined;
      return { type: v.type, selected_option: option ?? null };
    }
    case "multi_static_select":
    case "checkboxes":
      return { type: v.type, selected_options: chosen(v.values ?? []) };
    case "external_select": {
      const first = v.picked?.[0];
      return { type: v.type, selected_option: first ? pickedOption(first) : null };
    }
    case "multi_external_select":
      return { type: v.type, selected_options: (v.picked ?? []).map(pickedOption) };
    case "datepicker":
      return { type: v.type, selected_date: v.value || null };
    case "timepicker":
      return { type: v.type, selected_time: v.value || null };
    default:
      return { type: v.type, value: v.value === "" || v.value === undefined ? null : v.value };
  }
}

/** A view's `state.values` from what the page read, typed by the view's own elements. */
export function stateValues(blocks: unknown[], values: PageValue[]): Record<string, Record<string, Json>> {
  const state: Record<string, Record<string, Json>> = {};
  for (const v of values) {
    const found = findElement(blocks, v.blockId, v.actionId);
    state[v.blockId] = { ...(state[v.blockId] ?? {}), [v.actionId]: valueState(found?.element, v) };
  }
  return state;
}

/** The options a block_suggestion answer holds, flattened, with plain labels. */
export function suggestionOptions(answer: unknown): Array<{ value: string; label: string }> {
  if (!isRecord(answer)) return [];
  const options = [
    ...list(answer.options),
    ...list(answer.option_groups).flatMap((g) => (isRecord(g) ? list(g.options) : [])),
  ];
  return options.filter(isRecord).map((option) => ({
    value: str(option.value),
    label: decodeSlackEntities(isRecord(option.text) ? str(option.text.text) : str(option.value)),
  }));
}

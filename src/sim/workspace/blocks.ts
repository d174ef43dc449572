import { element, isRecord, type Json, list, str, textObject } from "./elements.js";
import { dataAttributes, type Html, html, join, trusted } from "./html.js";
import { type Directory, mrkdwn, plainText } from "./mrkdwn.js";

/** The block_id Slack would report for a block: its own, or a stand-in from its position. */
export function blockIdOf(block: unknown, index: number): string {
  return isRecord(block) && typeof block.block_id === "string" && block.block_id
    ? block.block_id
    : `b${index}`;
}

/** The action_id of an element: its own, or a stand-in from its position. */
export function actionIdOf(el: unknown, index: number): string {
  return isRecord(el) && typeof el.action_id === "string" && el.action_id ? el.action_id : `a${index}`;
}

/** Finds the element a page event names, with the block it sits in. */
export function findElement(
  blocks: unknown[],
  blockId: string,
  actionId: string,
): { block: Json; element: Json } | undefined {
  for (const [index, block] of blocks.entries()) {
    if (!isRecord(block) || blockIdOf(block, index) !== blockId) continue;
    const candidates = [
      ...list(block.elements),
      ...(block.accessory ? [block.accessory] : []),
      ...(block.element ? [block.element] : []),
    ];
    for (const [i, el] of candidates.entries()) {
      if (isRecord(el) && actionIdOf(el, i) === actionId) return { block, element: el };
    }
  }
  return undefined;
}

/** Field errors a view_submission answered with, by block_id. */
export type FieldErrors = Record<string, string>;

/** Block Kit blocks as HTML; `errors` puts response_action errors under their input blocks. */
export function renderBlocks(blocks: unknown[], dir: Directory, errors: FieldErrors = {}): Html {
  return join(blocks.map((block, index) => renderBlock(block, blockIdOf(block, index), dir, errors)));
}

function renderBlock(block: unknown, blockId: string, dir: Directory, errors: FieldErrors): Html {
  if (!isRecord(block)) return trusted("");
  const id = dataAttributes({ "block-id": blockId });
  switch (block.type) {
    case "header":
      return html`<h3 class="bk-header"${id}>${textObject(block.text, dir)}</h3>`;
    case "divider":
      return html`<hr class="bk-divider">`;
    case "section": {
      const text = block.text ? html`<div class="bk-text">${textObject(block.text, dir)}</div>` : "";
      const fields = list(block.fields);
      const grid =
        fields.length > 0
          ? html`<div class="bk-fields">${join(fields.map((f) => html`<div class="bk-field">${textObject(f, dir)}</div>`))}</div>`
          : "";
      const accessory = block.accessory
        ? html`<div class="bk-accessory">${element(block.accessory, { blockId, actionId: actionIdOf(block.accessory, 0) }, dir)}</div>`
        : "";
      return html`<div class="bk-section"${id}><div class="bk-section-main">${text}${grid}</div>${accessory}</div>`;
    }
    case "context":
      return html`<div class="bk-context"${id}>${join(
        list(block.elements).map((el) =>
          isRecord(el) && el.type === "image"
            ? html`<span class="bk-image" title="${str(el.alt_text)}">🖼</span>`
            : html`<span class="bk-context-item">${textObject(el, dir)}</span>`,
        ),
      )}</div>`;
    case "actions":
      return html`<div class="bk-actions"${id}>${join(
        list(block.elements).map((el, i) => element(el, { blockId, actionId: actionIdOf(el, i) }, dir)),
      )}</div>`;
    case "input": {
      const optional = block.optional === true;
      const error = errors[blockId];
      const hint = block.hint ? html`<div class="bk-hint">${textObject(block.hint, dir)}</div>` : "";
      const attributes = dataAttributes({
        "block-id": blockId,
        optional: optional ? "true" : undefined,
        dispatch: block.dispatch_action === true ? "true" : undefined,
      });
      return html`<div class="bk-input${error ? " has-error" : ""}"${attributes}><label class="bk-label">${textObject(block.label, dir)}${optional ? html` <span class="bk-optional">(optional)</span>` : ""}</label>${element(block.element, { blockId, actionId: actionIdOf(block.element, 0) }, dir, !optional)}${hint}<div class="bk-error" role="alert">${error ? plainText(error, false) : ""}</div></div>`;
    }
    case "image":
      return html`<figure class="bk-image-block"${id}>${block.title ? html`<figcaption>${textObject(block.title, dir)}</figcaption>` : ""}<span class="bk-image">🖼 ${str(block.alt_text)}</span></figure>`;
    default:
      return html`<div class="bk-unsupported"${id}>[${str(block.type) || "block"} block]</div>`;
  }
}

/** A message: its blocks, or its fallback text as mrkdwn when it has none. */
export function renderMessage(message: { text?: unknown; blocks?: unknown }, dir: Directory): Html {
  const blocks = list(message.blocks);
  if (blocks.length > 0) return renderBlocks(blocks, dir);
  return html`<div class="bk-section"><div class="bk-text">${mrkdwn(str(message.text), dir)}</div></div>`;
}

/** A modal as a form: title, blocks with any field errors, Close and Submit; Back when it was pushed. */
export function renderModal(
  view: Json,
  options: { viewId: string; errors: FieldErrors; canGoBack: boolean },
  dir: Directory,
): Html {
  const close = isRecord(view.close) ? textObject(view.close, dir) : trusted("Cancel");
  const submit = isRecord(view.submit)
    ? html`<button type="submit" class="bk-button primary">${textObject(view.submit, dir)}</button>`
    : "";
  const back = options.canGoBack
    ? html`<button type="button" class="modal-back" data-modal="back" aria-label="Back">‹</button>`
    : "";
  return html`<form class="modal" novalidate data-source="view"${dataAttributes({ "view-id": options.viewId, callback: str(view.callback_id) })}><header class="modal-head">${back}<h2 class="modal-title">${textObject(view.title, dir)}</h2><button type="button" class="modal-x" data-modal="clear" aria-label="Close">×</button></header><div class="modal-body">${renderBlocks(list(view.blocks), dir, options.errors)}</div><footer class="modal-foot"><button type="button" class="bk-button" data-modal="close">${close}</button>${submit}</footer></form>`;
}

/** A published Home tab. */
export function renderHome(view: Json, viewId: string, dir: Directory): Html {
  return html`<div class="home-view" data-source="home"${dataAttributes({ "view-id": viewId })}>${renderBlocks(list(view.blocks), dir)}</div>`;
}

// Helpers the workspace page's modules share: selectors, calls to the sandbox server, and a toast for failures.

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

let user = "";

/** Who the page acts as; every call names them. */
export function setUser(next) {
  user = next;
}

export async function post(path, body) {
  const res = await fetch(`/api/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user, ...body }),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

export function toast(message) {
  const el = $("#toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    el.hidden = true;
  }, 4000);
}

export function run(promise) {
  promise.catch((error) => toast(error instanceof Error ? error.message : String(error)));
}

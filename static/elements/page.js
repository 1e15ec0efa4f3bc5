// page.js — what the library pages share: their boot data (#page-boot), the editor's API client
// and element builder, and 4xx messages shown next to the control they are about.
import { request } from "../editor/api.js";
import { h } from "../editor/dom.js";

export { h, request };

export const bootData = () => JSON.parse(document.getElementById("page-boot")?.textContent || "{}");

function fill(ul, list) {
  if (ul) ul.replaceChildren(...list.map((m) => h("li", {}, m)));
}

export function clearErrors(scope) {
  for (const ul of scope.querySelectorAll("[data-errors]")) ul.replaceChildren();
}

// Put each field's messages of an ApiError in the [data-errors="<field>"] list inside `scope`;
// what has no list of its own goes to [data-errors="<fallback>"].
export function showErrors(scope, error, fallback = "detail") {
  clearErrors(scope);
  const data = error?.data && typeof error.data === "object" && !Array.isArray(error.data) ? error.data : {};
  const rest = [];
  for (const [name, value] of Object.entries(data)) {
    const list = [].concat(value).map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
    const ul = scope.querySelector(`[data-errors="${name}"]`);
    if (ul) fill(ul, list);
    else rest.push(...list);
  }
  if (rest.length || !Object.keys(data).length) {
    fill(scope.querySelector(`[data-errors="${fallback}"]`), rest.length ? rest : [error.message]);
  }
}

// Run `task` with `button` disabled; its error is shown in `scope`. Returns the result or null.
export async function guarded(scope, task, { button = null, fallback = "detail" } = {}) {
  if (button) button.disabled = true;
  try {
    const result = await task();
    clearErrors(scope);
    return result ?? true;
  } catch (error) {
    showErrors(scope, error, fallback);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

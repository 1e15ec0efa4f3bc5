// validation.js — server validation shown where it belongs: the debounced POST /validate/
// after each save, lookups of its errors by field path ("duration", "shots", "prompt",
// "negative_prompt", "shots.<index>.text" …) and of 400 field errors, the live character
// counters, and the small lists that show messages next to a field.
import { api } from "./api.js";
import { h } from "./dom.js";
import * as store from "./store.js";

const DELAY_MS = 300;
const timers = new Map();

export function scheduleValidation(sequenceId) {
  clearTimeout(timers.get(sequenceId));
  timers.set(
    sequenceId,
    setTimeout(() => {
      timers.delete(sequenceId);
      validateNow(sequenceId);
    }, DELAY_MS),
  );
}

export async function validateNow(sequenceId) {
  try {
    store.setReport(sequenceId, await api.validate(sequenceId));
  } catch {
    // the check runs again after the next save; the editor keeps working meanwhile
  }
}

// Messages of the last report at one path, e.g. ("shots.1.text").
export function messages(sequenceId, path) {
  return store.report(sequenceId)?.errors?.[path] || [];
}

// Every message about shot `index` of a sequence (for its block and the row).
export function shotMessages(sequenceId, index) {
  const errors = store.report(sequenceId)?.errors || {};
  const prefix = `shots.${index}.`;
  return Object.entries(errors)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([, list]) => list);
}

// The messages of one field of a shot or sequence: the report's and a refused save's (400).
export function fieldMessages(kind, id, name) {
  const refused = store.fieldErrors(store.keyOf(kind, id))[name] || [];
  if (kind === "sequence") return [...messages(id, name), ...refused];
  const found = store.locate(id);
  const reported = found ? messages(found.sequence.id, `shots.${found.index}.${name}`) : [];
  return [...reported, ...refused];
}

// {"dialogue": [{}, {"text": ["…"]}]} -> {"dialogue.1.text": ["…"]}
export function flatten(data, prefix = "", out = {}) {
  if (typeof data === "string") {
    out[prefix || "detail"] = [...(out[prefix || "detail"] || []), data];
  } else if (Array.isArray(data)) {
    if (data.every((item) => typeof item === "string")) {
      if (data.length) out[prefix || "detail"] = data;
    } else {
      data.forEach((item, i) => flatten(item, prefix ? `${prefix}.${i}` : String(i), out));
    }
  } else if (data && typeof data === "object") {
    for (const [name, value] of Object.entries(data)) {
      flatten(value, prefix ? `${prefix}.${name}` : name, out);
    }
  }
  return out;
}

export function errorList(list, id) {
  return h("ul", { class: "field-errors", id }, list.map((m) => h("li", {}, m)));
}

export function fillErrors(ul, list) {
  const text = list.join("\n");
  if (ul.dataset.text === text) return;
  ul.dataset.text = text;
  ul.replaceChildren(...list.map((m) => h("li", {}, m)));
}

// Characters as Python counts them (code points), so counters match the server.
export const chars = (text) => [...(text || "")].length;

// Prompt lengths as the server counted them in the last report (rules.shot_prompt: framing,
// action, lettering, dialogue), so the editor never carries its own copy of that formula.
export function shotPromptLength(shot) {
  const found = store.locate(shot.id);
  return found ? (store.report(found.sequence.id)?.prompt_chars?.shots?.[found.index] ?? 0) : 0;
}

export function wholePromptLength(sequenceId) {
  return store.report(sequenceId)?.prompt_chars?.whole ?? 0;
}

// "123 / 512" with the state the counter shows (over the limit, or close to it).
export function fillCounter(el, length, max) {
  el.textContent = `${length} / ${max}`;
  el.classList.toggle("over", length > max);
  el.classList.toggle("near", length <= max && length > max * 0.9);
}

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

// The length of the prompt a model receives for one shot; mirrors rules.shot_prompt on the
// server (framing, action, lettering, dialogue). The validate endpoint stays the authority.
export function shotPromptLength(shot) {
  const words = (v) => String(v || "").replaceAll("_", " ");
  const framing = [words(shot.shot_size)];
  if (shot.camera_angle !== "eye_level") framing.push(`${words(shot.camera_angle)} angle`);
  if (shot.camera_movement !== "static") framing.push(`camera ${words(shot.camera_movement)}`);
  const parts = [`${framing.join(", ")}.`];
  if ((shot.text || "").trim()) parts.push(shot.text.trim());
  if ((shot.lettering || "").trim()) parts.push(`On-screen text: "${shot.lettering.trim()}".`);
  for (const line of shot.dialogue || []) {
    const who = line.voice_over ? "Voice-over" : (line.speaker || "").trim() || "Someone";
    const how = (line.delivery || "").trim() ? ` (${line.delivery.trim()})` : "";
    parts.push(`${who}${how}: "${(line.text || "").trim()}"`);
  }
  return chars(parts.join(" "));
}

// "123 / 512" with the state the counter shows (over the limit, or close to it).
export function fillCounter(el, length, max) {
  el.textContent = `${length} / ${max}`;
  el.classList.toggle("over", length > max);
  el.classList.toggle("near", length <= max && length > max * 0.9);
}

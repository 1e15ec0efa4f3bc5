// conflict.js — the panel shown when a save met someone else's newer version (409): their
// values of the fields that differ from ours, the local edit kept, "Keep mine" / "Take theirs".
import { keepMine, takeTheirs } from "./autosave.js";
import { h, labelOf } from "./dom.js";
import * as store from "./store.js";

const LABELS = {
  duration: "Duration", shot_size: "Shot size", camera_angle: "Camera angle",
  camera_movement: "Camera movement", text: "Action", lettering: "On-screen lettering",
  transition: "Transition", sound_notes: "Sound & music", dialogue: "Dialogue",
  title: "Title", mode: "Mode", prompt: "Prompt", auto_duration: "Auto duration",
  model_family: "Model family", native_audio: "Native audio", quality: "Quality",
  negative_prompt: "Negative prompt", seed: "Seed",
};

function shown(name, value) {
  if (name === "dialogue") {
    return (value || []).map((l) => `${l.voice_over ? "(V.O.) " : ""}${l.speaker || "Someone"}: ${l.text}`).join(" / ") || "(no lines)";
  }
  if (typeof value === "boolean") return value ? "on" : "off";
  if (value === null || value === "") return "(empty)";
  if (store.choices()[name]) return labelOf(store.choices(), name, value);
  return name === "duration" || name === "auto_duration" ? `${value} s` : String(value);
}

// Equal values of a field, as a person sees them (dialogue lines without their ids).
export const sameValue = (name, a, b) => same(comparable(name, a), comparable(name, b));
const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const comparable = (name, value) =>
  name === "dialogue"
    ? (value || []).map(({ speaker, text, language, delivery, voice_over }) => ({ speaker, text, language, delivery, voice_over }))
    : value;

export function conflictPanel(kind, id) {
  const key = store.keyOf(kind, id);
  const found = store.conflict(key);
  const mine = store.object(kind, id);
  if (!found || !mine) return null;
  const names = Object.keys(LABELS).filter(
    (n) => n in found.theirs && !sameValue(n, found.theirs[n], mine[n]),
  );
  return h(
    "div",
    { class: "conflict", role: "alert" },
    h("strong", {}, found.detail || "Someone else changed this meanwhile."),
    h("p", {}, `Your edit is kept in the form and not saved yet. Their version (${kind} version ${found.theirs.version}):`),
    h(
      "dl",
      {},
      names.map((n) => [
        h("dt", {}, LABELS[n]),
        h("dd", {}, h("span", { class: "theirs" }, shown(n, found.theirs[n])), h("span", { class: "mine" }, `yours: ${shown(n, mine[n])}`)),
      ]),
    ),
    h(
      "div",
      { class: "conflict-actions" },
      h("button", { type: "button", class: "primary", onclick: () => keepMine(key) }, "Keep mine"),
      h("button", { type: "button", onclick: () => takeTheirs(key) }, "Take theirs"),
    ),
  );
}

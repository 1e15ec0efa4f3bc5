// inspector.js — the inspector beside the timeline: the selected shot's fields and dialogue
// lines, or (no shot selected) the sequence's settings from sequence_panel.js. The form is
// rebuilt only when what it shows changes shape; otherwise values, counters and messages are
// synced in place, so typing is never interrupted.
import * as commands from "./commands.js";
import * as comments from "./comments.js";
import { conflictPanel } from "./conflict.js";
import { edit } from "./autosave.js";
import { h } from "./dom.js";
import { field, syncForm } from "./forms.js";
import { attachCompletion, withMentions } from "./mentions.js";
import { sequencePanel } from "./sequence_panel.js";
import * as store from "./store.js";
import { chars, fillErrors, messages, shotPromptLength } from "./validation.js";

const NEW_LINE = { speaker: "", text: "", language: "auto", delivery: "", voice_over: false };
let root = null;
let shape = "";
let focusNext = null;

export function mount(element) {
  root = element;
  store.subscribe(update);
  update(new Set(["selection"]));
}

function target() {
  const { sequenceId, shotId } = store.selection();
  return shotId ? ["shot", shotId] : ["sequence", sequenceId];
}

function update(topics) {
  if (topics.size === 1 && (topics.has("status") || topics.has("undo"))) return;
  const [kind, id] = target();
  const obj = id == null ? null : store.object(kind, id);
  const where = kind === "shot" ? store.locate(id) : null;
  const nextShape = obj
    ? [kind, id, obj.mode, (where?.sequence || obj).review_state, obj.dialogue?.length, obj.first_frame, obj.end_frame, where?.index, store.sequences().indexOf(where?.sequence || obj)].join("|")
    : "none";
  if (nextShape !== shape || topics.has("reset")) {
    shape = nextShape;
    rebuild(kind, obj);
  }
  sync(kind, id);
}

function rebuild(kind, obj) {
  const active = document.activeElement;
  const key = focusNext || (root.contains(active) ? active.dataset.focusKey : null);
  const caret = key && !focusNext && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null;
  focusNext = null;
  let content;
  if (!obj) content = h("p", { class: "empty" }, "Select a shot or a sequence to edit it.");
  else if (kind === "shot") content = shotForm(obj);
  else content = sequencePanel(obj);
  root.replaceChildren(content, ...(obj && kind === "shot" ? [comments.panel("shot", obj.id)] : []));
  const again = key && root.querySelector(`[data-focus-key="${key}"]`);
  if (again) {
    again.focus({ preventScroll: true });
    if (caret) again.setSelectionRange?.(...caret);
  }
}

function sync(kind, id) {
  syncForm(root);
  const slot = root.querySelector(".conflict-slot");
  if (slot) {
    const panel = conflictPanel(kind, id);
    const text = panel ? panel.textContent : "";
    if (slot.dataset.text !== text) {
      slot.dataset.text = text;
      slot.replaceChildren(...(panel ? [panel] : []));
    }
  }
}

function shotForm(shot) {
  const { sequence, index } = store.locate(shot.id);
  const limits = store.limits();
  const choices = store.choices();
  const ro = store.readOnly(sequence.id);
  const f = (spec) => field({ kind: "shot", id: shot.id, ...spec });
  const lengthOf = (name) => (obj) => [chars(obj[name]), limits.max_text_stored];
  return h(
    "form",
    { class: "inspector-form", "aria-label": `Shot ${index + 1}`, onsubmit: (e) => e.preventDefault() },
    h(
      "header",
      { class: "inspector-head" },
      h("div", {}, h("p", { class: "crumb" }, h("button", { type: "button", class: "link", onclick: () => store.select(sequence.id) }, `Sequence ${store.sequences().indexOf(sequence) + 1}`), " ›"), h("h2", {}, `Shot ${index + 1}`)),
      ro
        ? null
        : h(
            "div",
            { class: "head-actions" },
            h("button", { type: "button", onclick: () => commands.duplicateShot(shot.id) }, "Duplicate"),
            h("button", { type: "button", class: "danger", onclick: () => commands.deleteShot(shot.id) }, "Delete"),
          ),
    ),
    h("div", { class: "conflict-slot" }),
    h(
      "div",
      { class: "grid-3" },
      f({ name: "shot_size", label: "Shot size", type: "select", choices: choices.shot_size }),
      f({ name: "camera_angle", label: "Camera angle", type: "select", choices: choices.camera_angle }),
      f({ name: "camera_movement", label: "Camera movement", type: "select", choices: choices.camera_movement }),
    ),
    h(
      "div",
      { class: "grid-2" },
      f({ name: "duration", label: "Duration (s)", type: "number", min: limits.min_shot_seconds, max: limits.max_shot_seconds_stored }),
      f({ name: "transition", label: "Transition in", type: "select", choices: choices.transition }),
    ),
    withMentions(
      f({
        name: "text",
        label: "Action",
        type: "textarea",
        rows: 4,
        placeholder: "What happens in this shot; mention elements as @handle",
        hint: "Shot prompt (framing, action, lettering, dialogue):",
        counter: (obj) => [shotPromptLength(obj), limits.max_shot_prompt_chars],
      }),
    ),
    f({ name: "lettering", label: "On-screen lettering", type: "textarea", rows: 2, placeholder: "Signs, captions, product names", counter: lengthOf("lettering") }),
    f({ name: "sound_notes", label: "Sound & music notes", type: "textarea", rows: 2, placeholder: "Ambience, effects, music cues", counter: lengthOf("sound_notes") }),
    dialogueEditor(shot),
  );
}

function dialogueEditor(shot) {
  const add = () => {
    focusNext = `line-${shot.id}-${shot.dialogue.length}-speaker`;
    edit("shot", shot.id, { dialogue: [...linesOf(shot.id), { ...NEW_LINE }] });
  };
  const wrap = h(
    "fieldset",
    { class: "dialogue", "data-field-wrap": "dialogue" },
    h("legend", {}, "Dialogue"),
    shot.dialogue.length ? h("ol", { class: "lines" }, shot.dialogue.map((line, i) => lineRow(shot, i))) : h("p", { class: "hint" }, "No lines."),
    store.readOnly(shot.sequence) ? null : h("button", { type: "button", class: "add-line", onclick: add }, "+ Add line"),
    h("ul", { class: "field-errors" }),
  );
  wrap.binding = { refresh: () => syncLines(wrap, shot.id) };
  return wrap;
}

const linesOf = (shotId) => store.shot(shotId).dialogue.map(commands.lineData);

function setLine(shotId, index, key, value, typed) {
  const lines = linesOf(shotId);
  lines[index][key] = value;
  edit("shot", shotId, { dialogue: lines }, { debounce: typed });
}

function lineRow(shot, i) {
  const ro = store.readOnly(shot.sequence);
  const control = (key, el, label) => {
    el.id = `line-${shot.id}-${i}-${key}`;
    Object.assign(el.dataset, { line: i, key, focusKey: el.id });
    el.disabled = ro;
    const typed = el.tagName === "TEXTAREA" || el.type === "text";
    el.addEventListener(typed ? "input" : "change", () =>
      setLine(shot.id, i, key, el.type === "checkbox" ? el.checked : el.value, typed),
    );
    return el.type === "checkbox"
      ? h("span", { class: "check" }, el, h("label", { for: el.id }, label))
      : h("div", { class: `line-${key}` }, h("label", { for: el.id }, label), el);
  };
  const remove = () => {
    const lines = linesOf(shot.id);
    lines.splice(i, 1);
    edit("shot", shot.id, { dialogue: lines });
  };
  const languages = store.choices().language.map((c) => h("option", { value: c.value }, c.label));
  return h(
    "li",
    { class: "line" },
    h(
      "div",
      { class: "line-row" },
      control("speaker", speakerInput(), "Speaker"),
      control("language", h("select", {}, languages), "Language"),
    ),
    control("text", h("textarea", { rows: 2, placeholder: "What is said" }), "Line"),
    control("delivery", h("input", { type: "text", placeholder: "Tone, accent, dialect, pace" }), "Delivery"),
    h(
      "div",
      { class: "line-foot" },
      control("voice_over", h("input", { type: "checkbox" }), "Voice-over (off screen)"),
      ro ? null : h("button", { type: "button", class: "link danger", "aria-label": `Remove line ${i + 1}`, onclick: remove }, "Remove line"),
    ),
    h("ul", { class: "field-errors", "data-line-errors": i }),
  );
}

function speakerInput() {
  const input = h("input", { type: "text", placeholder: "@handle or name" });
  attachCompletion(input);
  return input;
}

function syncLines(wrap, shotId) {
  const shot = store.shot(shotId);
  if (!shot) return;
  for (const el of wrap.querySelectorAll("[data-line]")) {
    const value = shot.dialogue[Number(el.dataset.line)]?.[el.dataset.key];
    if (el === document.activeElement || value === undefined) continue;
    if (el.type === "checkbox") el.checked = Boolean(value);
    else if (el.value !== value) el.value = value;
  }
  const refused = store.fieldErrors(store.keyOf("shot", shotId));
  const { sequence, index } = store.locate(shotId);
  for (const ul of wrap.querySelectorAll("[data-line-errors]")) {
    const line = ul.dataset.lineErrors;
    const prefix = `dialogue.${line}.`;
    const list = Object.entries(refused).filter(([p]) => p.startsWith(prefix)).flatMap(([p, list]) => list.map((m) => `${p.slice(prefix.length)}: ${m}`));
    // The validation report's messages about the line (an unknown @speaker, for one).
    const speaker = messages(sequence.id, `shots.${index}.${prefix}speaker`);
    const said = messages(sequence.id, `shots.${index}.${prefix}text`);
    fillErrors(ul, [...list, ...speaker, ...said]);
    wrap.querySelector(`#line-${shotId}-${line}-speaker`)?.toggleAttribute("aria-invalid", speaker.length > 0);
  }
  fillErrors(wrap.querySelector(":scope > .field-errors"), refused.dialogue || []);
}

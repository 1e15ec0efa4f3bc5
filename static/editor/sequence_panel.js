// sequence_panel.js — the sequence's settings in the inspector: title, mode (custom shots or an
// auto prompt with its duration), model family, native audio, quality, negative prompt, seed,
// and the first / end frame images (upload, thumbnail, clear, the server's message on a bad file).
import * as commands from "./commands.js";
import { h } from "./dom.js";
import { field } from "./forms.js";
import * as review from "./review.js";
import * as store from "./store.js";
import { chars, fieldMessages, fillCounter, fillErrors, wholePromptLength } from "./validation.js";

export function sequencePanel(seq) {
  const limits = store.limits();
  const choices = store.choices();
  const number = store.sequences().indexOf(seq) + 1;
  const f = (spec) => field({ kind: "sequence", id: seq.id, ...spec });
  const deleteIt = () => {
    if (window.confirm(`Delete sequence ${number} and its ${seq.shots.length} shots? Undo brings back its shots and settings, not its frame images.`)) {
      commands.deleteSequence(seq.id);
    }
  };
  return h(
    "form",
    { class: "inspector-form", "aria-label": `Sequence ${number}`, onsubmit: (e) => e.preventDefault() },
    h(
      "header",
      { class: "inspector-head" },
      h("div", {}, h("p", { class: "crumb" }, "Sequence settings"), h("h2", {}, `Sequence ${number}`)),
      store.readOnly(seq.id) ? null : h("div", { class: "head-actions" }, h("button", { type: "button", class: "danger", onclick: deleteIt }, "Delete sequence")),
    ),
    h("div", { class: "conflict-slot" }),
    review.panel(seq),
    f({ name: "title", label: "Title", placeholder: "Optional working title" }),
    h(
      "div",
      { class: "grid-2" },
      f({ name: "mode", label: "Mode", type: "select", choices: choices.mode }),
      seq.mode === "auto"
        ? f({ name: "auto_duration", label: "Auto duration (s)", type: "number", min: limits.min_sequence_seconds, max: limits.max_sequence_seconds })
        : wholePrompt(seq, limits),
    ),
    seq.mode === "auto"
      ? f({
          name: "prompt",
          label: "Direction prompt",
          type: "textarea",
          rows: 6,
          placeholder: "The whole scene; the director splits it into shots",
          counter: (obj) => [chars(obj.prompt), limits.max_whole_prompt_chars],
        })
      : null,
    h(
      "div",
      { class: "grid-2" },
      f({ name: "model_family", label: "Model family", type: "select", choices: choices.model_family }),
      f({ name: "quality", label: "Quality", type: "select", choices: choices.quality }),
    ),
    h(
      "div",
      { class: "grid-2" },
      f({ name: "native_audio", label: "Native audio (dialogue, sound)", type: "checkbox" }),
      f({ name: "seed", label: "Seed", type: "number", min: 0, nullable: true, placeholder: "random" }),
    ),
    f({
      name: "negative_prompt",
      label: "Negative prompt",
      type: "textarea",
      rows: 2,
      placeholder: "What the model should avoid",
      counter: (obj) => [chars(obj.negative_prompt), limits.max_negative_prompt_chars],
    }),
    h("div", { class: "frames" }, frame(seq, "first", "First frame"), frame(seq, "end", "End frame (optional)")),
  );
}

// Custom mode: the length of all shot prompts together, and the report's "prompt" errors.
function wholePrompt(seq, limits) {
  const counter = h("span", { class: "counter" });
  const errors = h("ul", { class: "field-errors" });
  const wrap = h("div", { class: "field whole-prompt", "data-field-wrap": "whole-prompt" }, h("span", { class: "label" }, "Whole prompt"), counter, errors);
  wrap.binding = {
    refresh() {
      const current = store.sequence(seq.id);
      if (!current) return;
      fillCounter(counter, wholePromptLength(seq.id), limits.max_whole_prompt_chars);
      fillErrors(errors, fieldMessages("sequence", seq.id, "prompt"));
    },
  };
  return wrap;
}

function frame(seq, which, label) {
  const url = seq[`${which}_frame`];
  const id = `frame-${seq.id}-${which}`;
  const ro = store.readOnly(seq.id);
  const input = h("input", {
    type: "file",
    id,
    accept: "image/jpeg,image/png,image/webp",
    "data-focus-key": id,
    disabled: ro,
    onchange: () => {
      const file = input.files[0];
      if (file) commands.setFrame(seq.id, which, file);
      input.value = "";
    },
  });
  const errors = h("ul", { class: "field-errors", "aria-live": "polite" });
  const wrap = h(
    "div",
    { class: "frame", "data-field-wrap": `${which}_frame` },
    h("label", { for: id }, label),
    url ? h("img", { class: "thumb", src: url, alt: `${label} of sequence` }) : h("div", { class: "thumb none" }, "No image"),
    ro
      ? null
      : h(
          "div",
          { class: "frame-actions" },
          input,
          url ? h("button", { type: "button", class: "link danger", onclick: () => commands.setFrame(seq.id, which, null) }, "Clear") : null,
        ),
    errors,
  );
  wrap.binding = { refresh: () => fillErrors(errors, fieldMessages("sequence", seq.id, `${which}_frame`)) };
  return wrap;
}

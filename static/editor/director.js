// director.js — "Direct a prompt…": paste one long direction prompt, see the shots the server's
// director makes of it (POST /api/director/split/, nothing saved), then add them as new custom
// sequences (shots to change at will) or keep the prompt as one auto sequence
// (POST /api/projects/{id}/director/apply/). The new sequences arrive like any other.
import { request } from "./api.js";
import { announce, h, labelOf } from "./dom.js";
import * as store from "./store.js";
import { scheduleValidation } from "./validation.js";

let view = null;

function line(row) {
  const who = row.voice_over ? `${row.speaker} (voice-over)` : row.speaker;
  const how = [row.language, row.delivery].filter(Boolean).join(", ");
  return h("li", { class: "directed-line" }, h("strong", {}, who), `: “${row.text}”`, how ? h("span", { class: "meta" }, ` — ${how}`) : null);
}

function shotCard(shot, number) {
  const choices = store.choices();
  const framing = [
    labelOf(choices, "shot_size", shot.shot_size),
    labelOf(choices, "camera_angle", shot.camera_angle),
    labelOf(choices, "camera_movement", shot.camera_movement),
  ].join(" · ");
  return h(
    "li",
    { class: "directed-shot", "data-directed-shot": number },
    h("div", { class: "directed-head" }, h("strong", {}, `Shot ${number}`), h("span", { class: "chip" }, `${shot.duration} s`), h("span", { class: "meta" }, framing)),
    h("p", {}, shot.text),
    shot.lettering ? h("p", { class: "meta" }, `On screen: “${shot.lettering}”`) : null,
    shot.beats.length ? h("p", { class: "meta" }, `Beats: ${shot.beats.map((b) => `${b.at} s — ${b.text}`).join("; ")}`) : null,
    shot.dialogue.length ? h("ul", { class: "directed-lines" }, shot.dialogue.map(line)) : null,
  );
}

function showPreview(result) {
  view.preview.replaceChildren(
    ...result.messages.map((text) => h("p", { class: "director-message", role: "note" }, text)),
    ...result.sequences.map((sequence, i) =>
      h(
        "section",
        { class: "directed-sequence" },
        h("h3", {}, `Sequence ${i + 1} — ${sequence.duration} s, ${sequence.shots.length} shot${sequence.shots.length === 1 ? "" : "s"}`),
        h("ol", { class: "directed-shots" }, sequence.shots.map((shot, n) => shotCard(shot, n + 1))),
      ),
    ),
  );
  view.apply.hidden = view.keep.hidden = result.sequences.length === 0;
  announce(`The director made ${result.sequences.reduce((n, s) => n + s.shots.length, 0)} shots.`);
}

function asked() {
  const total = view.total.value ? Number(view.total.value) : null;
  return { prompt: view.prompt.value, total };
}

async function preview() {
  view.error.textContent = "";
  try {
    showPreview(await request("POST", "/api/director/split/", { ...asked(), project: store.boot().project_id }));
  } catch (error) {
    view.error.textContent = error.message;
  }
}

async function apply(mode) {
  view.error.textContent = "";
  try {
    const result = await request("POST", `/api/projects/${store.boot().project_id}/director/apply/`, { ...asked(), mode });
    for (const sequence of result.sequences) {
      store.applyServerSequence(sequence);
      scheduleValidation(sequence.id);
    }
    if (result.sequences.length) store.select(result.sequences[0].id);
    announce(`Added ${result.sequences.length} sequence${result.sequences.length === 1 ? "" : "s"} from the prompt.`);
    view.dialog.close();
  } catch (error) {
    view.error.textContent = error.message;
  }
}

function build() {
  view = {};
  view.prompt = h("textarea", { id: "director-prompt", rows: 8, maxlength: 10000, placeholder: "Shot 1: Wide shot of … @Mara says, “…” Cut to a close-up of …" });
  view.total = h("input", { id: "director-total", type: "number", min: 3, max: 15, step: 1, placeholder: "auto" });
  view.preview = h("div", { class: "director-preview", "aria-live": "polite" });
  view.error = h("p", { class: "field-errors", role: "alert" });
  view.apply = h("button", { type: "button", class: "primary", hidden: true, onclick: () => apply("custom") }, "Add as shots");
  view.keep = h("button", { type: "button", hidden: true, onclick: () => apply("auto") }, "Keep as an auto sequence");
  view.dialog = h(
    "dialog",
    { class: "director-dialog", "aria-labelledby": "director-title" },
    h("h2", { id: "director-title" }, "Direct a prompt"),
    h("label", { for: "director-prompt" }, "Your direction, in any of the five languages"),
    view.prompt,
    h("label", { for: "director-total" }, "Total seconds (optional)"),
    view.total,
    h("div", { class: "director-actions" }, h("button", { type: "button", onclick: preview }, "Preview the shots"), view.apply, view.keep, h("button", { type: "button", class: "link", onclick: () => view.dialog.close() }, "Close")),
    view.error,
    view.preview,
  );
  document.body.append(view.dialog);
}

export function open() {
  if (!view) build();
  view.dialog.showModal();
  view.prompt.focus();
}

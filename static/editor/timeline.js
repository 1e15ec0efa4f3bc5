// timeline.js — the timeline view: one row per sequence with its total against the budget
// (boot.limits), a ruler in seconds, shot blocks whose widths follow their durations, the
// validation messages of the row, and the keyboard on the blocks. Pointer drags: drag.js. Each
// row ends with its generation dock (jobs and takes, dock.js), which is moved, never rebuilt.
import * as commands from "./commands.js";
import { dock, generateButton } from "./dock.js";
import { h, labelOf, plural } from "./dom.js";
import { attachDrag, dragging } from "./drag.js";
import { shotAvatars } from "./presence.js";
import * as review from "./review.js";
import * as store from "./store.js";
import { messages, shotMessages } from "./validation.js";

const MIN_SCALE = 28;
const MAX_SCALE = 110;
let root = null;
let scale = 56; // pixels per second
let deferred = false;
let focusNext = null;

export function mount(element) {
  root = element;
  attachDrag(root, () => scale, render);
  root.addEventListener("click", onClick);
  root.addEventListener("keydown", onKey);
  store.subscribe((topics) => {
    if ([...topics].some((t) => t !== "status" && t !== "undo")) render();
  });
  new ResizeObserver(() => {
    if (fitScale()) render();
  }).observe(root);
}

function span() {
  const longest = Math.max(0, ...store.sequences().map(total));
  return Math.max(store.limits().max_sequence_seconds, longest) + 1;
}

function fitScale() {
  const width = root.clientWidth - 40;
  const next = Math.max(MIN_SCALE, Math.min(MAX_SCALE, Math.floor(width / span())));
  if (next === scale) return false;
  scale = next;
  return true;
}

const total = (seq) =>
  seq.mode === "auto" ? seq.auto_duration : seq.shots.reduce((sum, s) => sum + s.duration, 0);

export function render() {
  if (!root) return;
  if (dragging()) {
    // never replace the blocks under the pointer; render once the drag ends
    if (!deferred) {
      deferred = true;
      window.addEventListener("pointerup", () => setTimeout(() => { deferred = false; render(); }), { once: true });
    }
    return;
  }
  fitScale();
  const focused = root.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  const scrolls = [...root.querySelectorAll(".track-scroll")].map((el) => el.scrollLeft);
  const rows = store.sequences().map(renderSequence);
  root.replaceChildren(...(rows.length ? rows : [h("p", { class: "empty" }, "No sequence yet.")]));
  // Restoring a scroll position forces a layout: only where there is one to restore.
  root.querySelectorAll(".track-scroll").forEach((el, i) => scrolls[i] && (el.scrollLeft = scrolls[i]));
  const key = focusNext || focused;
  focusNext = null;
  if (key) root.querySelector(`[data-focus-key="${key}"]`)?.focus({ preventScroll: false });
}

function renderSequence(seq, n) {
  const limits = store.limits();
  const seconds = total(seq);
  const selection = store.selection();
  const current = selection.sequenceId === seq.id;
  const inBudget = seconds >= limits.min_sequence_seconds && seconds <= limits.max_sequence_seconds;
  const durationErrors = messages(seq.id, "duration");
  return h(
    "section",
    { class: `sequence${current ? " current" : ""}`, "data-seq": seq.id, "aria-label": `Sequence ${n + 1}` },
    h(
      "header",
      { class: "seq-head" },
      h(
        "button",
        {
          type: "button",
          class: "seq-name",
          "data-action": "select-sequence",
          "data-seq": seq.id,
          "data-focus-key": `seq-${seq.id}`,
          "aria-pressed": String(current && !selection.shotId),
          title: "Sequence settings",
        },
        `Sequence ${n + 1}`,
        seq.title ? h("span", { class: "seq-title" }, seq.title) : null,
      ),
      h("span", { class: `chip mode-${seq.mode}` }, seq.mode === "auto" ? "Auto" : "Custom"),
      h("span", { class: "chip" }, labelOf(store.choices(), "model_family", seq.model_family).split(" ")[0]),
      review.chip(seq),
      h(
        "div",
        { class: `budget ${inBudget ? "ok" : "out"}` },
        h("span", { class: "total", "data-seconds": seconds }, `${seconds} s`),
        h("span", { class: "range" }, ` of ${limits.min_sequence_seconds}–${limits.max_sequence_seconds} s`),
        h(
          "span",
          { class: "meter", "aria-hidden": "true" },
          h("span", { style: { width: `${Math.min(100, (seconds / limits.max_sequence_seconds) * 100)}%` } }),
        ),
      ),
      store.readOnly(seq.id) || seq.mode === "auto"
        ? null
        : h("button", { type: "button", class: "add-shot", "data-action": "add-shot", "data-seq": seq.id }, "+ Add shot"),
      generateButton(seq.id),
    ),
    durationErrors.length ? h("ul", { class: "field-errors at-budget" }, durationErrors.map((m) => h("li", {}, m))) : null,
    h(
      "div",
      { class: "track-scroll" },
      h(
        "div",
        { class: "lane", style: { width: `${span() * scale}px` } },
        ruler(),
        seq.mode === "auto" ? autoBar(seq) : track(seq, n),
      ),
    ),
    rowMessages(seq),
    dock(seq.id),
  );
}

function ruler() {
  const limits = store.limits();
  const seconds = span();
  const every = scale >= 36 ? 1 : 2;
  const ticks = [];
  for (let s = 0; s <= seconds; s++) {
    ticks.push(h("span", { class: `tick${s % every ? " minor" : ""}`, style: { left: `${s * scale}px` } }, s % every ? "" : `${s}s`));
  }
  return h(
    "div",
    { class: "ruler", "aria-hidden": "true" },
    h("span", { class: "zone", style: { left: `${limits.min_sequence_seconds * scale}px`, width: `${(limits.max_sequence_seconds - limits.min_sequence_seconds) * scale}px` } }),
    h("span", { class: "zone-over", style: { left: `${limits.max_sequence_seconds * scale}px` } }),
    ticks,
  );
}

function track(seq, n) {
  const blocks = seq.shots.map((shot, index) => block(seq, shot, index));
  return h(
    "div",
    { class: "track", role: "group", "aria-label": `Shots of sequence ${n + 1}` },
    blocks.length ? blocks : h("p", { class: "track-empty" }, store.readOnly() ? "No shots." : "No shots yet: add one."),
  );
}

function block(seq, shot, index) {
  const choices = store.choices();
  const size = labelOf(choices, "shot_size", shot.shot_size);
  const problems = shotMessages(seq.id, index);
  const selected = store.selection().shotId === shot.id;
  const lines = shot.dialogue?.length || 0;
  const moving = shot.camera_movement !== "static" ? labelOf(choices, "camera_movement", shot.camera_movement) : "";
  return h(
    "div",
    {
      class: `clip size-${shot.shot_size}${selected ? " selected" : ""}${problems.length ? " invalid" : ""}`,
      style: { width: `${shot.duration * scale}px` },
      "data-shot": shot.id,
    },
    h(
      "button",
      {
        type: "button",
        class: "shot",
        "data-shot": shot.id,
        "data-seq": seq.id,
        "data-index": index,
        "data-focus-key": `shot-${shot.id}`,
        "aria-label": `Shot ${index + 1}, ${size.toLowerCase()}, ${plural(shot.duration, "second")}`,
        "aria-pressed": String(selected),
        "aria-describedby": problems.length ? `shot-problems-${shot.id}` : null,
        title: problems.join("\n") || null,
      },
      h("span", { class: "shot-top" }, h("span", { class: "shot-no" }, index + 1), h("span", { class: "shot-size" }, size)),
      shot.text ? h("span", { class: "shot-text" }, shot.text) : h("span", { class: "shot-text none" }, "No action yet"),
      h(
        "span",
        { class: "shot-foot" },
        h("span", { class: "shot-dur" }, `${shot.duration} s`),
        moving ? h("span", { class: "shot-move" }, moving) : null,
        lines ? h("span", { class: "shot-lines" }, plural(lines, "line")) : null,
        store.openComments(shot.id)
          ? h("span", { class: "shot-comments", title: plural(store.openComments(shot.id), "open comment thread") }, `💬 ${store.openComments(shot.id)}`)
          : null,
      ),
      problems.length ? h("span", { class: "shot-flag", "aria-hidden": "true" }, "!") : null,
    ),
    shotAvatars(shot.id),
    store.readOnly(seq.id) ? null : h("span", { class: "handle", "aria-hidden": "true", title: "Drag to change the duration" }),
  );
}

function autoBar(seq) {
  return h(
    "div",
    { class: "track" },
    h(
      "div",
      { class: "clip auto", style: { width: `${seq.auto_duration * scale}px` } },
      h(
        "button",
        { type: "button", class: "shot", "data-action": "select-sequence", "data-seq": seq.id, "aria-label": `Auto sequence, ${plural(seq.auto_duration, "second")}` },
        h("span", { class: "shot-top" }, h("span", { class: "shot-size" }, "Auto · the director splits the prompt")),
        h("span", { class: "shot-text" }, seq.prompt || "Write the direction prompt in the inspector."),
      ),
    ),
  );
}

function rowMessages(seq) {
  const report = store.report(seq.id);
  if (!report) return null;
  const items = [];
  for (const path of ["shots", "prompt", "negative_prompt"]) {
    for (const text of messages(seq.id, path)) items.push(h("li", { class: "error" }, text));
  }
  seq.shots.forEach((shot, index) => {
    const list = shotMessages(seq.id, index);
    if (list.length) items.push(h("li", { class: "error", id: `shot-problems-${shot.id}` }, list.join(" ")));
  });
  for (const text of report.warnings || []) items.push(h("li", { class: "warning" }, text));
  if (!items.length) return h("p", { class: "row-ok" }, "Ready to generate: no problems found.");
  return h("ul", { class: "row-messages" }, items);
}

function onClick(event) {
  const target = event.target.closest("[data-action], .shot");
  if (!target) return;
  const seqId = Number(target.dataset.seq);
  if (target.dataset.action === "add-shot") commands.addShot(seqId);
  else if (target.dataset.action === "select-sequence") store.select(seqId);
  else if (target.dataset.shot) store.select(seqId, Number(target.dataset.shot));
}

function onKey(event) {
  const button = event.target.closest?.(".shot[data-shot]");
  if (!button) return;
  const id = Number(button.dataset.shot);
  const seq = store.sequence(Number(button.dataset.seq));
  const index = Number(button.dataset.index);
  const key = event.key;
  const moveKeys = (event.altKey && !event.ctrlKey && !event.metaKey) || ((event.ctrlKey || event.metaKey) && event.shiftKey);
  if (key === "ArrowLeft" || key === "ArrowRight" || key === "Home" || key === "End") {
    event.preventDefault();
    const delta = key === "ArrowLeft" ? -1 : 1;
    if (key === "Home" || key === "End") return focusShot(seq.shots[key === "Home" ? 0 : seq.shots.length - 1]);
    if (!moveKeys) return focusShot(seq.shots[index + delta]);
    const to = index + delta;
    if (!store.readOnly(seq.id) && to >= 0 && to < seq.shots.length) commands.moveShot(id, to);
    return;
  }
  if (store.readOnly(seq.id)) return;
  const shot = store.shot(id);
  if (key === "+" || key === "=" || key === "-") {
    event.preventDefault();
    const limits = store.limits();
    const next = shot.duration + (key === "-" ? -1 : 1);
    if (next >= limits.min_shot_seconds && next <= limits.max_shot_seconds_stored) commands.resizeShot(id, next);
  } else if (key === "Delete" || key === "Backspace") {
    event.preventDefault();
    const neighbour = seq.shots[index + 1] || seq.shots[index - 1];
    focusNext = neighbour ? `shot-${neighbour.id}` : `seq-${seq.id}`;
    commands.deleteShot(id);
  } else if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "d") {
    event.preventDefault();
    commands.duplicateShot(id);
  }
}

function focusShot(shot) {
  if (shot) root.querySelector(`[data-focus-key="shot-${shot.id}"]`)?.focus();
}

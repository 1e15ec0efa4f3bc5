// takes.js — the takes panel of each sequence: every take as a card (poster, duration, size,
// provider, date, the chosen mark), the player of the selected take, or two players side by side
// when two takes are ticked for comparing. A panel is a <details> built once per sequence and
// repainted in place; its players are kept across repaints, so a playing video never restarts.
import { api, newKey } from "./api.js";
import { announce, h } from "./dom.js";
import { errorItems, refusalText } from "./generate.js";
import * as jobs from "./jobs.js";
import * as store from "./store.js";
import { facts, playBoth, player, settingsOf, viewer, when } from "./take_viewer.js";

const takes = new Map(); // sequence id -> [take, …], newest first
const detailed = new Set(); // sequences whose takes carry provider and settings (GET takes)
const panels = new Map(); // sequence id -> view (see panel)
const againKeys = new Map(); // take id -> the Idempotency-Key of a "Generate again" not answered yet

export const of = (sequenceId) => takes.get(sequenceId) || [];

// The timeline's takes (all of the project, newest first, without their settings).
export function load(list) {
  for (const take of list || []) {
    if (!takes.has(take.sequence)) takes.set(take.sequence, []);
    takes.get(take.sequence).push(take);
  }
  for (const id of panels.keys()) paint(id);
}

// Takes that came live ("take.created", "take.updated", a snapshot after a reconnect): new ones
// are added, known ones keep their settings and take the server's chosen mark and moderation
// state (a take taken down loses its player at once).
export function merge(list) {
  const touched = new Set();
  for (const take of list || []) {
    const known = of(take.sequence).find((t) => t.id === take.id);
    if (known) {
      if (Boolean(known.removed) !== Boolean(take.removed)) dropPlayer(take.sequence, take.id);
      Object.assign(known, pick(take, ["chosen", "removed", "removed_reason", "video_url", "poster_url"]));
    } else takes.set(take.sequence, [take, ...of(take.sequence)].sort((a, b) => b.id - a.id));
    touched.add(take.sequence);
  }
  for (const id of touched) paint(id);
}

const pick = (object, keys) => Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]));

function dropPlayer(sequenceId, takeId) {
  const media = panels.get(sequenceId)?.media.get(takeId);
  if (!media) return;
  if (media.video.tagName === "VIDEO") {
    media.video.pause();
    media.video.removeAttribute("src");
    media.video.load();
  }
  panels.get(sequenceId).media.delete(takeId);
}

// Someone chose a take of the sequence ("take.chosen").
export function markChosen(sequenceId, takeId) {
  for (const take of of(sequenceId)) take.chosen = take.id === takeId;
  paint(sequenceId);
}

// Fetch a sequence's takes with their settings; `reveal` opens the panel on the newest take.
export async function refresh(sequenceId, { reveal = false } = {}) {
  const view = panels.get(sequenceId);
  try {
    takes.set(sequenceId, await api.takes(sequenceId));
    detailed.add(sequenceId);
  } catch (error) {
    if (view) view.message.textContent = `Could not load the takes: ${error.message}`;
    return;
  }
  if (view && reveal) {
    view.selected = of(sequenceId)[0]?.id ?? null;
    view.root.open = true;
  }
  paint(sequenceId);
}

// The (persistent) panel of a sequence.
export function panel(sequenceId) {
  if (!panels.has(sequenceId)) {
    const view = { id: sequenceId, selected: null, compare: [], media: new Map() };
    view.summary = h("summary", {});
    view.list = h("ul", { class: "take-list" });
    view.stage = h("div", { class: "take-stage" });
    view.message = h("p", { class: "take-message", role: "alert" });
    view.root = h(
      "details",
      { class: "takes", "data-takes": sequenceId, ontoggle: () => toggled(view) },
      view.summary,
      h("div", { class: "takes-body" }, view.list, view.message, view.stage),
    );
    panels.set(sequenceId, view);
    paint(sequenceId);
  }
  return panels.get(sequenceId).root;
}

// Opened: fetch the settings the first time. Closed: the players go (nothing loads or plays
// in a closed panel, so a page with many sequences stays light).
function toggled(view) {
  if (view.root.open && !detailed.has(view.id)) refresh(view.id);
  else paint(view.id);
}

// "Take 3": numbered in the order they were made, oldest first.
function names(list) {
  const ascending = [...list].sort((a, b) => a.id - b.id);
  return new Map(ascending.map((take, i) => [take.id, `Take ${i + 1}`]));
}

function paint(sequenceId) {
  const view = panels.get(sequenceId);
  if (!view) return;
  const list = of(sequenceId);
  const name = names(list);
  const chosen = list.find((t) => t.chosen);
  view.root.hidden = list.length === 0;
  if (!list.some((t) => t.id === view.selected)) view.selected = (chosen || list[0])?.id ?? null;
  view.compare = view.compare.filter((id) => name.has(id));
  view.summary.replaceChildren(
    h("span", { class: "takes-title" }, "Takes"),
    h("span", { class: "chip" }, String(list.length)),
    h("span", { class: "meta" }, chosen ? `chosen: ${name.get(chosen.id).toLowerCase()}` : "none chosen yet"),
  );
  view.list.setAttribute("aria-label", `Takes of ${store.sequenceName(sequenceId).toLowerCase()}`);
  const focusKey = view.root.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  view.list.replaceChildren(...list.map((take) => card(view, take, name.get(take.id))));
  paintStage(view, list, name);
  if (focusKey) view.root.querySelector(`[data-focus-key="${focusKey}"]`)?.focus();
}

function card(view, take, name) {
  const selected = take.id === view.selected;
  const label = [name, facts(take), take.chosen ? "chosen" : ""].filter(Boolean).join(", ");
  return h(
    "li",
    { class: `take-card${selected ? " selected" : ""}${take.chosen ? " chosen" : ""}`, "data-take": take.id },
    h(
      "button",
      { type: "button", class: "take-pick", "aria-pressed": String(selected), "aria-label": label, "data-focus-key": `take-${take.id}`, onclick: () => select(view, take.id) },
      take.poster_url ? h("img", { src: take.poster_url, alt: "", loading: "lazy" }) : h("span", { class: "take-noposter" }, take.removed ? "Taken down" : "No poster"),
      h("span", { class: "take-name" }, name, take.chosen ? h("span", { class: "take-chosen" }, "★ Chosen") : null),
      h("span", { class: "take-meta" }, facts(take)),
      h("time", { class: "take-date", datetime: take.created_at }, when(take.created_at)),
    ),
    h(
      "label",
      { class: "take-compare check" },
      h("input", { type: "checkbox", checked: view.compare.includes(take.id), "data-focus-key": `compare-${take.id}`, "aria-label": `Compare ${name.toLowerCase()}`, onchange: (e) => toggleCompare(view, take.id, e.target.checked) }),
      "Compare",
    ),
  );
}

function paintStage(view, list, name) {
  const comparing = view.compare.length === 2;
  const ids = !view.root.open ? [] : comparing ? view.compare : [view.selected];
  const shown = ids.map((id) => list.find((t) => t.id === id)).filter(Boolean);
  // Keep the players (and open settings) of the takes still shown; let the others go.
  for (const [id, media] of view.media) {
    if (shown.some((t) => t.id === id)) continue;
    dropPlayer(view.id, id); // releases the connection
  }
  const viewers = shown.map((take) => {
    const media = view.media.get(take.id) || { video: player(take, name.get(take.id)), settings: null };
    media.settings ??= settingsOf(take);
    view.media.set(take.id, media);
    const actions = store.readOnly() ? null : { choose: store.readOnly(view.id) ? null : (button) => choose(view, take, name, button), again: (button) => again(view, take, button) };
    return viewer(take, name.get(take.id), media.video, media.settings, actions);
  });
  const bar = comparing
    ? h(
        "div",
        { class: "compare-bar" },
        h("span", {}, `Comparing ${name.get(view.compare[0]).toLowerCase()} and ${name.get(view.compare[1]).toLowerCase()}`),
        h("button", { type: "button", "data-focus-key": `play-both-${view.id}`, onclick: () => playBoth(viewers.map((v) => v.querySelector("video"))) }, "▶ Play both"),
        h("button", { type: "button", class: "link", onclick: () => toggleCompare(view, null, false) }, "Stop comparing"),
      )
    : view.compare.length === 1
      ? h("p", { class: "meta compare-bar" }, "Tick one more take to compare the two side by side.")
      : null;
  view.stage.classList.toggle("comparing", comparing && shown.length === 2);
  view.stage.replaceChildren(...[bar, h("div", { class: "take-viewers" }, viewers)].filter(Boolean));
}

function select(view, id) {
  view.selected = id;
  paint(view.id);
}

// Tick a take for comparing; a third tick lets the oldest go. (id null: stop comparing.)
function toggleCompare(view, id, on) {
  view.compare = id === null ? [] : view.compare.filter((x) => x !== id);
  if (on) view.compare.push(id);
  if (view.compare.length > 2) view.compare.shift();
  paint(view.id);
}

async function choose(view, take, name, button) {
  button.disabled = true;
  view.message.textContent = "";
  try {
    await api.chooseTake(take.id);
    for (const other of of(view.id)) other.chosen = other.id === take.id;
    announce(`${name.get(take.id)} is now the chosen take of ${store.sequenceName(view.id).toLowerCase()}.`);
  } catch (error) {
    view.message.textContent = `Could not choose the take: ${error.message}`;
  }
  paint(view.id);
}

// A new job with the take's exact settings. The key is kept until the server answers, so a
// retry after a lost answer returns the same job instead of making a second one.
async function again(view, take, button) {
  button.disabled = true;
  view.message.replaceChildren();
  const key = againKeys.get(take.id) || newKey();
  againKeys.set(take.id, key);
  try {
    jobs.track(await api.generateAgain(take.id, key));
    againKeys.delete(take.id);
  } catch (error) {
    if (error.status) againKeys.delete(take.id); // refused: nothing was made under this key
    const items = error.status === 400 ? errorItems(error.data?.errors) : [];
    view.message.replaceChildren(refusalText(error), items.length ? h("ul", {}, items) : "");
  }
  button.disabled = false;
}

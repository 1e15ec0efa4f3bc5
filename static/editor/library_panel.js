// library_panel.js — the editor's library panel: thumbnails of the elements the project may use
// (store.elements(), each a link to its sheet) and, for editors, the user's libraries with a
// checkbox to attach one to the project or detach it (POST/DELETE /api/projects/<id>/libraries/
// <library_id>/); then the timeline is read again for its elements and validation reports.
import { api, request } from "./api.js";
import { h, plural } from "./dom.js";
import * as store from "./store.js";

let root = null;
let attached = new Map(); // library id -> name
let mine = null; // the user's libraries, read when the list is first opened
let error = "";

export function mount(element) {
  root = element;
  attached = new Map((store.boot().libraries || []).map((l) => [l.id, l.name]));
  store.subscribe((topics) => topics.has("elements") && render());
  render();
}

function render() {
  const elements = store.elements();
  const open = root.querySelector("details")?.open || false;
  root.replaceChildren(
    h(
      "div",
      { class: "lp-head" },
      h("h2", {}, "Elements"),
      h("span", { class: "hint" }, elements.length ? "Type @ in a shot's action or a speaker to mention one." : "Attach a library to use its elements in this project."),
      libraries(open),
    ),
    elements.length
      ? h("ul", { class: "lp-elements" }, elements.map(card))
      : h("p", { class: "empty" }, attached.size ? "The attached libraries have no elements yet." : "No library attached."),
  );
}

function card(element) {
  return h(
    "li",
    { class: "lp-element", "data-element": element.id },
    h(
      "a",
      { href: `/elements/${element.id}/`, target: "_blank", title: `${element.kind} · ${element.library_name} · ${plural(element.image_count, "image")}` },
      element.thumbnail ? h("img", { src: `${element.thumbnail}?size=160`, alt: "", loading: "lazy" }) : h("span", { class: "no-thumb", "aria-hidden": "true" }, element.handle.slice(0, 1)),
      h("span", { class: "mention-chip" }, `@${element.handle}`),
    ),
  );
}

function libraries(open) {
  const details = h(
    "details",
    { class: "lp-libraries", open },
    h("summary", {}, `Libraries (${attached.size} attached)`),
    h(
      "div",
      { class: "lp-menu" },
      mine === null ? h("p", { class: "hint" }, "Loading…") : libraryList(),
      h("a", { href: "/libraries/", target: "_blank" }, "Manage libraries"),
      error ? h("ul", { class: "field-errors" }, h("li", {}, error)) : null,
    ),
  );
  details.addEventListener("toggle", () => details.open && mine === null && loadMine());
  return details;
}

function libraryList() {
  const rows = new Map(mine.map((l) => [l.id, `${l.name}${l.role === "owner" ? "" : ` (${l.owner})`}`]));
  // Attaching shares a library with everyone here: only its owner, or whom the owner allows.
  const attachable = new Set(mine.filter((l) => l.can_attach).map((l) => l.id));
  for (const [id, name] of attached) if (!rows.has(id)) rows.set(id, name);
  if (!rows.size) return h("p", { class: "hint" }, "You have no library yet.");
  const ro = store.readOnly();
  return h(
    "ul",
    {},
    [...rows].map(([id, name]) =>
      h(
        "li",
        {},
        h(
          "label",
          { class: "check" },
          h("input", { type: "checkbox", checked: attached.has(id), disabled: ro || (!attached.has(id) && !attachable.has(id)), "data-library": id, onchange: (e) => toggle(id, name, e.target) }),
          name,
          attached.has(id) || attachable.has(id) ? null : h("span", { class: "meta" }, " (its owner has not let you attach it)"),
        ),
      ),
    ),
  );
}

async function loadMine() {
  try {
    mine = await request("GET", "/api/libraries/");
  } catch (e) {
    mine = [];
    error = e.message;
  }
  render();
}

async function toggle(id, name, box) {
  const url = `/api/projects/${store.boot().project_id}/libraries/${id}/`;
  box.disabled = true;
  error = "";
  try {
    await request(box.checked ? "POST" : "DELETE", url);
    if (box.checked) attached.set(id, name);
    else attached.delete(id);
    await reloadElements();
  } catch (e) {
    error = e.message;
    box.checked = !box.checked;
  }
  render();
}

// The elements and validation reports, as the server now sees them.
async function reloadElements() {
  const timeline = await api.timeline(store.boot().api);
  for (const sequence of timeline.sequences) {
    if (sequence.validation) store.setReport(sequence.id, sequence.validation);
  }
  store.setElements(timeline.elements);
}

// handoff.js — "Export…" in the editor's bar: the reel for editing software (OTIO, CMX 3600 EDL,
// Final Cut Pro 7 XML for Premiere and Resolve, FCPXML; alone or zipped with the takes), the PDF
// storyboard sheet (A4 or Letter) and the project as JSON; and "Bring back an edit": an edited
// OTIO or EDL comes back as a proposed change of shot order and durations, applied only when the
// user says so.
import { request } from "./api.js";
import { announce, h } from "./dom.js";
import * as store from "./store.js";

const TIMELINES = [
  ["otio", "OpenTimelineIO (.otio)"],
  ["edl", "CMX 3600 EDL"],
  ["fcp7", "Final Cut Pro 7 XML (Premiere, Resolve)"],
  ["fcpx", "FCPXML (Final Cut Pro)"],
];

let view = null;

function exportUrl(kind, query = "") {
  return `/api/projects/${store.boot().project_id}/export/${kind}/${query}`;
}

function links() {
  return h(
    "ul",
    { class: "export-links" },
    ...TIMELINES.map(([kind, label]) =>
      h("li", {}, h("a", { href: exportUrl(kind), download: "" }, label), " · ", h("a", { href: exportUrl(kind, "?media=1"), download: "" }, "with the takes (zip)")),
    ),
    h("li", {}, "Storyboard sheet (PDF): ", h("a", { href: exportUrl("pdf", "?paper=a4"), download: "" }, "A4"), " · ", h("a", { href: exportUrl("pdf", "?paper=letter"), download: "" }, "Letter")),
    h("li", {}, "The whole project: ", h("a", { href: exportUrl("json"), download: "" }, "JSON"), " · ", h("a", { href: exportUrl("json", "?media=1"), download: "" }, "JSON with media (zip)")),
  );
}

function showProposal(answer) {
  view.proposal = answer.proposal;
  const changes = answer.changes || [];
  const problems = answer.problems || [];
  view.result.replaceChildren(
    h("h3", {}, changes.length ? "The edit proposes:" : "The edit changes nothing in the storyboard."),
    changes.length ? h("ul", { class: "edit-changes" }, changes.map((text) => h("li", {}, text))) : null,
    problems.length ? h("ul", { class: "edit-problems" }, problems.map((text) => h("li", { role: "note" }, text))) : null,
  );
  view.apply.hidden = !changes.length || store.readOnly();
}

async function bringBack(event) {
  event.preventDefault();
  const file = view.file.files[0];
  view.error.textContent = "";
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  try {
    showProposal(await request("POST", `/api/projects/${store.boot().project_id}/edit-import/`, form));
  } catch (error) {
    view.error.textContent = error.message;
  }
}

async function applyEdit() {
  view.error.textContent = "";
  try {
    await request("POST", `/api/projects/${store.boot().project_id}/edit-import/apply/`, view.proposal);
    announce("The edit was applied to the storyboard.");
    view.apply.hidden = true;
    view.result.replaceChildren(h("p", { role: "status" }, "Applied: the shots now follow the edit."));
  } catch (error) {
    view.error.textContent = error.message;
  }
}

function build() {
  view = {};
  view.file = h("input", { type: "file", id: "edit-file", accept: ".otio,.edl,.json,text/plain" });
  view.result = h("div", { class: "edit-result", "aria-live": "polite" });
  view.error = h("p", { class: "field-errors", role: "alert" });
  view.apply = h("button", { type: "button", class: "primary", hidden: true, onclick: applyEdit }, "Apply the edit");
  const canEdit = !store.readOnly();
  view.dialog = h(
    "dialog",
    { class: "handoff-dialog", "aria-labelledby": "handoff-title" },
    h("h2", { id: "handoff-title" }, "Export"),
    links(),
    canEdit
      ? h(
          "form",
          { class: "edit-import", onsubmit: bringBack },
          h("h3", {}, "Bring back an edit"),
          h("label", { for: "edit-file" }, "An OTIO or EDL file exported from here and edited in your editing software"),
          view.file,
          h("button", { type: "submit" }, "Read the edit"),
        )
      : null,
    view.error,
    view.result,
    h("div", { class: "director-actions" }, view.apply, h("button", { type: "button", class: "link", onclick: () => view.dialog.close() }, "Close")),
  );
  document.body.append(view.dialog);
}

export function open() {
  if (!view) build();
  view.dialog.showModal();
}

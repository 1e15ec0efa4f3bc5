// main.js — boots the editor: reads the boot data (#editor-boot), loads the timeline, mounts the
// timeline, inspector and library panel, and binds the toolbar (undo, redo, add sequence), the save status
// and the global keys (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y). The timeline's jobs and takes go to
// jobs.js (which follows those in flight at once) and takes.js; then the live socket (live.js)
// brings everyone's changes and who is here (presence.js).
import { api } from "./api.js";
import { busy, refreshStatus, retry } from "./autosave.js";
import * as commands from "./commands.js";
import { h, inTextField } from "./dom.js";
import * as inspector from "./inspector.js";
import * as jobs from "./jobs.js";
import * as libraryPanel from "./library_panel.js";
import * as live from "./live.js";
import * as director from "./director.js";
import * as handoff from "./handoff.js";
import * as presence from "./presence.js";
import { reportForm, setCategories } from "./report.js";
import * as store from "./store.js";
import * as takes from "./takes.js";
import * as timeline from "./timeline.js";
import * as undo from "./undo.js";

const boot = JSON.parse(document.getElementById("editor-boot").textContent);
const $ = (id) => document.getElementById(id);

store.init(boot);
undo.init(boot.project_id);
timeline.mount($("timeline"));
inspector.mount($("inspector"));
store.subscribe(showToolbar);

// A viewer's page has no undo, redo or add buttons.
$("undo")?.addEventListener("click", () => commands.undoLast());
$("redo")?.addEventListener("click", () => commands.redoLast());
$("add-sequence")?.addEventListener("click", () => commands.addSequence());
$("direct-prompt")?.addEventListener("click", () => director.open());
$("open-handoff")?.addEventListener("click", () => handoff.open());

document.addEventListener("keydown", (event) => {
  if (store.readOnly() || !(event.ctrlKey || event.metaKey) || event.altKey) return;
  if (inTextField(event.target)) return; // the browser's own undo while typing
  const key = event.key.toLowerCase();
  if (key === "z" && !event.shiftKey) {
    event.preventDefault();
    commands.undoLast();
  } else if ((key === "z" && event.shiftKey) || key === "y") {
    event.preventDefault();
    commands.redoLast();
  }
});

window.addEventListener("beforeunload", (event) => {
  if (busy()) event.preventDefault();
});

function showToolbar(topics) {
  if ($("undo") && (topics.has("undo") || topics.has("status"))) {
    const [next, again] = [undo.peekUndo(), undo.peekRedo()];
    $("undo").disabled = !next;
    $("redo").disabled = !again;
    $("undo").title = next ? `Undo ${undo.label(next)} (Ctrl+Z)` : "Nothing to undo";
    $("redo").title = again ? `Redo ${undo.label(again)} (Ctrl+Shift+Z)` : "Nothing to redo";
  }
  if (topics.has("status") || topics.has("conflict")) showStatus();
}

function showStatus() {
  const { state, message } = store.status();
  const el = $("save-status");
  el.dataset.state = state;
  const extra = [];
  if (state === "error") extra.push(h("button", { type: "button", class: "link", onclick: retry }, "Retry"));
  const first = store.conflicts()[0];
  if (state === "conflict" && first) {
    const show = () => store.select(first.kind === "shot" ? store.locate(first.id)?.sequence.id : first.id, first.kind === "shot" ? first.id : null);
    extra.push(h("button", { type: "button", class: "link", onclick: show }, "Show"));
  }
  el.replaceChildren(h("span", { class: "dot", "aria-hidden": "true" }), message, ...extra);
}

setCategories(boot.report_categories);
$("report-project")?.replaceChildren(reportForm("project", boot.project_id, "this project"));

try {
  const loaded = await api.timeline(boot.api);
  store.load(loaded);
  takes.load(loaded.takes);
  jobs.load(loaded.jobs);
  libraryPanel.mount($("library-panel"));
  refreshStatus();
  // After the first load: the socket's first snapshot then only brings presence and what
  // changed since.
  live.connect(boot.project_id, presence.mount($("presence"), $("live-state")));
} catch (error) {
  store.setStatus("error", `Could not load the storyboard: ${error.message}`);
}
document.body.classList.add("editor-ready");
performance.mark("editor-ready");

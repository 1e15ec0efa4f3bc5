// element.js — the element sheet: loads GET /api/elements/<id>/, fills the details form (PATCH on
// Save, DELETE), lists where the element is used (links to each project's editor) and hands the
// images, video and voice to element_media.js. Messages of a refused change show by its control.
import { renderMedia, mountMedia } from "./element_media.js";
import { reportForm, setCategories } from "../editor/report.js";
import { bootData, guarded, h, request } from "./page.js";

const boot = bootData();
setCategories(boot.report_categories);
document.getElementById("report-element")?.replaceChildren(reportForm("element", boot.element_id, "this element"));
const url = `/api/elements/${boot.element_id}/`;
const $ = (id) => document.getElementById(id);
const form = $("element-form");
const FIELDS = ["handle", "kind", "description", "voice_language", "voice_accent"];

function status(text) {
  $("sheet-status").textContent = text;
}

// Show an element as the server returned it.
export function show(element) {
  $("element-title").textContent = `@${element.handle}`;
  const kind = boot.choices.kind.find((c) => c.value === element.kind);
  $("element-kind-chip").textContent = kind ? kind.label : element.kind;
  document.title = `@${element.handle} · ${element.library_name}`;
  for (const name of FIELDS) {
    const control = form.elements[name];
    if (control && document.activeElement !== control) control.value = element[name] ?? "";
  }
  renderMedia(element);
  if (element.used_in) showUsage(element.used_in);
}

function showUsage(rows) {
  const list = $("used-in");
  if (!rows.length) return list.replaceChildren(h("li", { class: "empty" }, "Not used in any of your projects yet."));
  const byProject = new Map();
  for (const row of rows) {
    if (!byProject.has(row.project)) byProject.set(row.project, { title: row.project_title, shots: [] });
    byProject.get(row.project).shots.push(row);
  }
  list.replaceChildren(
    ...[...byProject].map(([id, project]) =>
      h(
        "li",
        {},
        h("a", { href: `/projects/${id}/`, class: "project-link" }, project.title),
        h("span", { class: "meta" }, ` · shot${project.shots.length > 1 ? "s" : ""} ${project.shots.map((s) => s.shot_number).join(", ")}`),
      ),
    ),
  );
}

export async function reload() {
  const element = await guarded(form, () => request("GET", url));
  if (element) show(element);
}

for (const control of form.elements) control.disabled = control.disabled || (!boot.can_edit && control.tagName !== "BUTTON");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(FIELDS.map((name) => [name, form.elements[name].value]));
  status("Saving…");
  const saved = await guarded(form, () => request("PATCH", url, data), { button: form.querySelector("button[type=submit]") });
  status(saved ? "Saved" : "Not saved: see the messages in red");
  if (saved) show(saved);
});

$("delete-element")?.addEventListener("click", async (event) => {
  if (!window.confirm(`Delete @${form.elements.handle.value}? Shots that mention it will be flagged.`)) return;
  if (await guarded(form, () => request("DELETE", url), { button: event.target })) {
    window.location.assign(`/libraries/${boot.library_id}/`);
  }
});

mountMedia(boot, { reload, status });
await reload();
document.body.classList.add("sheet-ready");

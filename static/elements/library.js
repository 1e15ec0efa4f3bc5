// library.js — one library's page: create an element (then open its sheet) and, for the owner,
// the sharing panel: visibility, share with a user read-only, with edit rights or with the right
// to attach it to projects, revoke; the projects it is attached to, each detachable; rename and
// delete. Every change goes through the REST API; 4xx messages show by the control.
import { bootData, guarded, h, request } from "./page.js";

const boot = bootData();
const base = `/api/libraries/${boot.library_id}/`;
const $ = (id) => document.getElementById(id);

const newElement = $("new-element");
newElement?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const f = newElement.elements;
  const data = { handle: f.handle.value, kind: f.kind.value, description: f.description.value };
  const made = await guarded(newElement, () => request("POST", `${base}elements/`, data), { button: newElement.querySelector("button") });
  if (made) window.location.assign(`/elements/${made.id}/`);
});

const sharing = $("sharing");
if (sharing) {
  const visibility = $("library-visibility");
  const hint = () => {
    $("visibility-hint").textContent =
      visibility.value === "shared"
        ? "The people below can use this library."
        : "Private: only you and the projects you attached it to can use it. Shares below take effect once the library is shared; attachments made by others end.";
  };
  hint();
  visibility.addEventListener("change", async () => {
    const ok = await guarded(visibility.parentElement, () => request("PATCH", base, { visibility: visibility.value }), { fallback: "visibility" });
    if (!ok) visibility.value = boot.visibility;
    else boot.visibility = visibility.value;
    hint();
    loadAttachments();
  });

  const form = $("share-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const access = form.elements.access.value;
    const data = { username: form.elements.username.value.trim(), can_edit: access !== "read", can_attach: access === "attach" };
    const made = await guarded(form, () => request("POST", `${base}shares/`, data), { button: form.querySelector("button") });
    if (made) {
      form.elements.username.value = "";
      loadShares();
    }
  });

  $("rename-library").addEventListener("click", async (event) => {
    const name = $("library-name").value;
    const done = await guarded(event.target.closest(".field"), () => request("PATCH", base, { name }), { fallback: "name" });
    if (done) $("library-title").textContent = done.name;
  });

  $("delete-library").addEventListener("click", async (event) => {
    if (!window.confirm(`Delete “${boot.name}” and all its elements? Projects that use it lose them.`)) return;
    const done = await guarded(sharing, () => request("DELETE", base), { button: event.target, fallback: "delete" });
    if (done) window.location.assign("/libraries/");
  });

  loadShares();
  loadAttachments();
}

const ACCESS_LABELS = { read: "Read only", edit: "Can edit", attach: "Can edit and attach" };

async function loadShares() {
  const list = $("shares");
  const shares = await guarded(sharing, () => request("GET", `${base}shares/`));
  if (!shares) return;
  if (!shares.length) return list.replaceChildren(h("li", { class: "empty" }, "Not shared with anyone."));
  list.replaceChildren(
    ...shares.map((share) => {
      const revoke = async (event) => {
        const url = `${base}shares/${encodeURIComponent(share.username)}/`;
        if (await guarded(sharing, () => request("DELETE", url), { button: event.target })) {
          loadShares();
          loadAttachments();
        }
      };
      return h(
        "li",
        { "data-user": share.username },
        h("span", { class: "who-name" }, share.username),
        h("span", { class: "chip" }, ACCESS_LABELS[share.can_attach ? "attach" : share.can_edit ? "edit" : "read"]),
        h("button", { type: "button", class: "link danger", onclick: revoke, "aria-label": `Revoke ${share.username}` }, "Revoke"),
      );
    }),
  );
}

// Every project the library is attached to: by name where the owner is a member, otherwise
// "a project you are not in" (with who attached it); each can be detached.
async function loadAttachments() {
  const list = $("attachment-list");
  const listed = await guarded($("attachments"), () => request("GET", `${base}attachments/`), { fallback: "attachments" });
  if (!listed) return;
  if (!listed.attachments.length) return list.replaceChildren(h("li", { class: "empty" }, "Not attached to any project."));
  list.replaceChildren(
    ...listed.attachments.map((row) => {
      const detach = async (event) => {
        const done = await guarded($("attachments"), () => request("DELETE", `${base}attachments/${row.id}/`), { button: event.target, fallback: "attachments" });
        if (done) loadAttachments();
      };
      const where = row.project
        ? h("a", { class: "who-name", href: `/projects/${row.project.id}/` }, row.project.title)
        : h("span", { class: "who-name" }, "A project you are not in");
      return h(
        "li",
        { "data-attachment": row.id },
        where,
        h("span", { class: "meta" }, row.attached_by ? `by ${row.attached_by}` : "by a deleted user"),
        row.in_force ? false : h("span", { class: "chip" }, "No longer in force"),
        h("button", { type: "button", class: "link danger", onclick: detach, "aria-label": `Detach from ${row.project ? row.project.title : "that project"}` }, "Detach"),
      );
    }),
  );
  if (listed.hidden) list.append(h("li", { class: "meta" }, `${listed.hidden} of them in project${listed.hidden === 1 ? "" : "s"} you are not in.`));
}

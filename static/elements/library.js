// library.js — one library's page: create an element (then open its sheet) and, for the owner,
// the sharing panel: visibility, share with a user read-only or with edit rights, revoke,
// rename and delete. Every change goes through the REST API; 4xx messages show by the control.
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
        : "Private: only you can use it. Shares below take effect once the library is shared.";
  };
  hint();
  visibility.addEventListener("change", async () => {
    const ok = await guarded(visibility.parentElement, () => request("PATCH", base, { visibility: visibility.value }), { fallback: "visibility" });
    if (!ok) visibility.value = boot.visibility;
    else boot.visibility = visibility.value;
    hint();
  });

  const form = $("share-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = { username: form.elements.username.value.trim(), can_edit: form.elements.can_edit.value === "true" };
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
}

async function loadShares() {
  const list = $("shares");
  const shares = await guarded(sharing, () => request("GET", `${base}shares/`));
  if (!shares) return;
  if (!shares.length) return list.replaceChildren(h("li", { class: "empty" }, "Not shared with anyone."));
  list.replaceChildren(
    ...shares.map((share) => {
      const revoke = async (event) => {
        const url = `${base}shares/${encodeURIComponent(share.username)}/`;
        if (await guarded(sharing, () => request("DELETE", url), { button: event.target })) loadShares();
      };
      return h(
        "li",
        { "data-user": share.username },
        h("span", { class: "who-name" }, share.username),
        h("span", { class: "chip" }, share.can_edit ? "Can edit" : "Read only"),
        h("button", { type: "button", class: "link danger", onclick: revoke, "aria-label": `Revoke ${share.username}` }, "Revoke"),
      );
    }),
  );
}

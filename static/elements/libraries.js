// libraries.js — the "Element libraries" page: create a library (POST /api/libraries/) and open it.
import { guarded, request } from "./page.js";

const form = document.getElementById("new-library");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = { name: document.getElementById("library-name").value, visibility: document.getElementById("library-visibility").value };
  const made = await guarded(form, () => request("POST", "/api/libraries/", data), { button: form.querySelector("button") });
  if (made) window.location.assign(`/libraries/${made.id}/`);
});

// element_media.js — the element sheet's media: reference images (drop zone or file input, an
// angle label each, reorder by drag or arrow buttons, remove), the reference video with its
// player and the voice clip with an <audio> player. Uploads are multipart POSTs to the API;
// a refused file's message shows under its control.
import { guarded, h, request } from "./page.js";

const ANGLES = ["front", "three-quarter left", "three-quarter right", "side", "back", "close-up"];
const $ = (id) => document.getElementById(id);
let boot = null;
let hooks = null;
let images = [];
let handle = "";
let dragId = null;

export function mountMedia(bootData, callbacks) {
  boot = bootData;
  hooks = callbacks;
  $("images").after(h("datalist", { id: "angles" }, ANGLES.map((a) => h("option", { value: a }))));
  if (!boot.can_edit) return;
  const zone = $("drop-zone");
  const input = $("image-input");
  input.addEventListener("change", () => uploadImages([...input.files]).then(() => (input.value = "")));
  zone.addEventListener("dragover", (event) => {
    if (![...event.dataTransfer.types].includes("Files")) return;
    event.preventDefault();
    zone.classList.add("over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    uploadImages([...event.dataTransfer.files]);
  });
  $("video-input").addEventListener("change", (event) => uploadOne(event.target, "video", "video"));
  $("voice-input").addEventListener("change", (event) => uploadOne(event.target, "voice", "audio"));
}

export function renderMedia(element) {
  images = element.images.slice();
  handle = element.handle;
  renderImages();
  renderVideo(element.video);
  renderVoice(element.voice);
}

const section = (id) => $(id).closest("section");
const api = (path) => `/api/elements/${boot.element_id}/${path}`;

async function uploadImages(files) {
  const errors = section("images").querySelector('[data-errors="image"]');
  errors.replaceChildren();
  for (const file of files) {
    const form = new FormData();
    form.append("image", file);
    form.append("angle", ANGLES[images.length] || "");
    hooks.status(`Uploading ${file.name}…`);
    try {
      images.push(await request("POST", api("images/"), form));
      renderImages();
      hooks.status(`Uploaded ${file.name}`);
    } catch (error) {
      errors.append(h("li", {}, `${file.name}: ${error.message}`));
      hooks.status(`${file.name} was refused`);
    }
  }
}

function renderImages() {
  const list = $("images");
  if (!images.length) return list.replaceChildren(h("li", { class: "empty" }, "No reference image yet."));
  list.replaceChildren(...images.map(imageCard));
}

function imageCard(image, i) {
  const edit = boot.can_edit;
  const card = h(
    "li",
    { class: "image-card", "data-image": image.id, draggable: edit ? "true" : null },
    h("img", { src: `/api/element-images/${image.id}/thumbnail/?size=320`, alt: `${image.angle || "Reference image"} of @${handle}`, draggable: "false" }),
    h("span", { class: "image-no" }, i === 0 ? "1 · Front" : String(i + 1)),
    image.source === "video" ? h("span", { class: "chip from-video" }, "from video") : null,
    h("input", { type: "text", class: "angle", list: "angles", value: image.angle, "aria-label": `Angle of image ${i + 1}`, placeholder: "Angle", disabled: !edit, maxlength: 60, onchange: (e) => setAngle(image, e.target, card) }),
    edit
      ? h(
          "div",
          { class: "image-actions" },
          h("button", { type: "button", "aria-label": `Move image ${i + 1} earlier`, disabled: i === 0, onclick: () => move(i, i - 1, card) }, "←"),
          h("button", { type: "button", "aria-label": `Move image ${i + 1} later`, disabled: i === images.length - 1, onclick: () => move(i, i + 1, card) }, "→"),
          h("button", { type: "button", class: "link danger", "aria-label": `Remove image ${i + 1}`, onclick: (e) => remove(image, card, e.target) }, "Remove"),
        )
      : null,
    h("ul", { class: "field-errors", "data-errors": "angle" }),
  );
  if (edit) dragHandlers(card, image);
  return card;
}

async function setAngle(image, input, card) {
  const saved = await guarded(card, () => request("PATCH", `/api/element-images/${image.id}/`, { angle: input.value }), { fallback: "angle" });
  if (saved) image.angle = saved.angle;
}

async function remove(image, card, button) {
  if (await guarded(card, () => request("DELETE", `/api/element-images/${image.id}/`), { button, fallback: "angle" })) {
    images = images.filter((x) => x.id !== image.id);
    renderImages();
  }
}

async function move(from, to, card) {
  const order = images.slice();
  order.splice(to, 0, ...order.splice(from, 1));
  await saveOrder(order, card);
}

async function saveOrder(order, scope) {
  const ids = order.map((x) => x.id);
  const done = await guarded(scope, () => request("POST", api("images/reorder/"), { image_ids: ids }), { fallback: "angle" });
  if (!done) return;
  const byId = new Map(images.map((x) => [x.id, x]));
  images = done.image_ids.map((id) => byId.get(id)).filter(Boolean);
  renderImages();
}

function dragHandlers(card, image) {
  card.addEventListener("dragstart", (event) => {
    dragId = image.id;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", String(image.id));
    card.classList.add("dragging");
  });
  card.addEventListener("dragend", () => card.classList.remove("dragging"));
  card.addEventListener("dragover", (event) => {
    if (dragId === null || dragId === image.id) return;
    event.preventDefault();
    card.classList.add("drop-target");
  });
  card.addEventListener("dragleave", () => card.classList.remove("drop-target"));
  card.addEventListener("drop", (event) => {
    if (dragId === null) return;
    event.preventDefault();
    const from = images.findIndex((x) => x.id === dragId);
    const to = images.findIndex((x) => x.id === image.id);
    dragId = null;
    if (from >= 0 && to >= 0 && from !== to) move(from, to, card);
  });
}

async function uploadOne(input, path, field) {
  const file = input.files[0];
  if (!file) return;
  const form = new FormData();
  form.append(field, file);
  hooks.status(`Uploading ${file.name}…`);
  const done = await guarded(section(path), () => request("POST", api(`${path}/`), form), { fallback: field });
  input.value = "";
  hooks.status(done ? `Uploaded ${file.name}` : `${file.name} was refused`);
  if (done) await hooks.reload();
}

async function removeMedia(path, field, button) {
  if (await guarded(section(path), () => request("DELETE", api(`${path}/`)), { button, fallback: field })) await hooks.reload();
}

function renderVideo(video) {
  const slot = $("video");
  if (!video) return slot.replaceChildren(h("p", { class: "empty" }, "No reference video."));
  slot.replaceChildren(
    h("video", { src: video.url, controls: true, preload: "metadata", class: "player" }),
    h(
      "p",
      { class: "meta" },
      `${video.duration.toFixed(1)} s · ${video.width}×${video.height} · ${Math.round(video.fps)} fps `,
      boot.can_edit ? h("button", { type: "button", class: "link danger", onclick: (e) => removeMedia("video", "video", e.target) }, "Remove video") : null,
    ),
  );
}

function renderVoice(voice) {
  const slot = $("voice");
  if (!voice) return slot.replaceChildren(h("p", { class: "empty" }, "No voice clip."));
  const from = voice.source === "video" ? " · taken from the video" : "";
  slot.replaceChildren(
    h("audio", { src: voice.url, controls: true, preload: "metadata", class: "player" }),
    h(
      "p",
      { class: "meta" },
      `${voice.duration.toFixed(1)} s, ${voice.speech_seconds.toFixed(1)} s of speech${from} `,
      boot.can_edit ? h("button", { type: "button", class: "link danger", onclick: (e) => removeMedia("voice", "audio", e.target) }, "Remove voice") : null,
    ),
  );
}

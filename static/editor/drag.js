// drag.js — pointer dragging on the timeline (mouse, pen or touch): a block dragged sideways is
// moved to where it is dropped (reorder); a block's right edge dragged changes the shot's
// duration in whole seconds, snapping as it goes, with the value shown beside the edge.
import * as commands from "./commands.js";
import { h } from "./dom.js";
import * as store from "./store.js";

const THRESHOLD_PX = 5;
let active = false;
let suppressClick = false;

export const dragging = () => active;

// getScale(): pixels per second; done(): called when a drag ends without a change.
export function attachDrag(root, getScale, done) {
  root.addEventListener("pointerdown", (event) => {
    const row = event.target.closest?.("[data-seq]");
    if (event.button !== 0 || store.readOnly(row ? Number(row.dataset.seq) : null)) return;
    const handle = event.target.closest(".handle");
    if (handle) return startResize(event, handle, getScale(), done);
    const button = event.target.closest(".shot[data-shot]");
    if (button) armMove(event, button, done);
  });
  // A drag ends with a click on the block; it must not also select it.
  root.addEventListener(
    "click",
    (event) => {
      if (!suppressClick) return;
      suppressClick = false;
      event.stopPropagation();
      event.preventDefault();
    },
    true,
  );
}

function follow(onMove, onEnd) {
  const up = (event) => {
    window.removeEventListener("pointermove", onMove);
    window.removeEventListener("pointerup", up);
    window.removeEventListener("pointercancel", up);
    onEnd(event);
  };
  window.addEventListener("pointermove", onMove);
  window.addEventListener("pointerup", up);
  window.addEventListener("pointercancel", up);
}

function endDrag() {
  active = false;
  suppressClick = true;
  setTimeout(() => (suppressClick = false), 0);
}

function armMove(down, button, done) {
  const clip = button.closest(".clip");
  const track = clip.parentElement;
  const clips = [...track.querySelectorAll(".clip")];
  const others = clips.filter((c) => c !== clip);
  const from = clips.indexOf(clip);
  let started = false;
  let target = from;
  let marker = null;

  follow(
    (event) => {
      const dx = event.clientX - down.clientX;
      if (!started) {
        if (Math.abs(dx) < THRESHOLD_PX) return;
        started = active = true;
        clip.classList.add("dragging");
        marker = h("div", { class: "drop-marker", "aria-hidden": "true" });
        track.append(marker);
      }
      clip.style.transform = `translateX(${dx}px)`;
      target = others.filter((c) => center(c) < event.clientX).length;
      const trackLeft = track.getBoundingClientRect().left;
      const edge = target < others.length
        ? others[target].getBoundingClientRect().left
        : (others.at(-1) || clip).getBoundingClientRect().right;
      marker.style.left = `${edge - trackLeft}px`;
    },
    () => {
      if (!started) return;
      endDrag();
      clip.classList.remove("dragging");
      clip.style.transform = "";
      marker.remove();
      if (target !== from) commands.moveShot(Number(clip.dataset.shot), target);
      else done();
    },
  );
}

function center(el) {
  const box = el.getBoundingClientRect();
  return box.left + box.width / 2;
}

function startResize(down, handle, scale, done) {
  down.preventDefault();
  const clip = handle.closest(".clip");
  const id = Number(clip.dataset.shot);
  const shot = store.shot(id);
  if (!shot) return;
  const limits = store.limits();
  const from = shot.duration;
  const total = clip.closest(".sequence")?.querySelector(".budget .total");
  const totalFrom = total ? Number(total.dataset.seconds) : 0;
  const label = clip.querySelector(".shot-dur");
  const tip = h("span", { class: "resize-tip", "aria-live": "polite" }, `${from} s`);
  let value = from;
  active = true;
  clip.classList.add("resizing");
  clip.append(tip);

  follow(
    (event) => {
      const raw = from + (event.clientX - down.clientX) / scale;
      value = Math.min(limits.max_shot_seconds_stored, Math.max(limits.min_shot_seconds, Math.round(raw)));
      clip.style.width = `${value * scale}px`;
      tip.textContent = `${value} s`;
      if (label) label.textContent = `${value} s`;
      if (total) total.textContent = `${totalFrom - from + value} s`;
    },
    () => {
      endDrag();
      clip.classList.remove("resizing");
      tip.remove();
      if (value !== from) commands.resizeShot(id, value);
      else done();
    },
  );
}

// dock.js — the generation parts of each sequence row: its Generate button (editors and owners
// only) in the row's head, and below the track its jobs and its takes. The timeline rebuilds its
// rows on every change; a dock is built once per sequence and moved into each new row, so its
// players keep playing, its progress bars keep their place and its disclosures stay open.
import { h } from "./dom.js";
import * as generate from "./generate.js";
import * as jobs from "./jobs.js";
import * as store from "./store.js";
import * as takes from "./takes.js";

const docks = new Map(); // sequence id -> element

// A finished take shows without a reload: fetch the sequence's takes and open it on the new one.
jobs.onFinished((job) => {
  if (job.state === "succeeded") takes.refresh(job.sequence, { reveal: true });
});

export function generateButton(sequenceId) {
  if (store.readOnly()) return null;
  return h(
    "button",
    {
      type: "button",
      class: "generate",
      "aria-haspopup": "dialog",
      "aria-label": `Generate ${store.sequenceName(sequenceId).toLowerCase()}`,
      "data-focus-key": `generate-${sequenceId}`,
      onclick: (event) => generate.open(sequenceId, event.currentTarget),
    },
    "▶ Generate…",
  );
}

export function dock(sequenceId) {
  if (!docks.has(sequenceId)) {
    docks.set(sequenceId, h("div", { class: "gen-dock", "data-dock": sequenceId }, jobs.list(sequenceId), takes.panel(sequenceId)));
  }
  // Sequences are named by their place, which a deletion above changes.
  jobs.list(sequenceId).setAttribute("aria-label", `Generation jobs of ${store.sequenceName(sequenceId).toLowerCase()}`);
  return docks.get(sequenceId);
}

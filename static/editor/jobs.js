// jobs.js — the generation jobs the editor follows: each job's latest row (from the timeline, a
// 202 answer, a live "job.updated" event or a poll), cancel, and the job list of each sequence.
// Rows are updated in place, never rebuilt, so a focused Cancel button and the bar's transition
// survive every update. While the live socket is up (live.js) its events carry every change;
// while it is down, each job in flight is polled every second instead.
import { api } from "./api.js";
import { announce, h } from "./dom.js";
import * as store from "./store.js";

export const ACTIVE = new Set(["queued", "held", "submitted", "running"]);
const LABELS = {
  queued: "Queued",
  held: "Waiting for review",
  submitted: "Submitted",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  canceled: "Canceled",
};
const POLL_MS = 1000;
const MAX_BACKOFF_MS = 16000;
// A failure this recent is shown again after a reload: its message says what to do.
const RECENT_FAILURE_MS = 60 * 60 * 1000;

const jobs = new Map(); // id -> job row
const following = new Set();
let live = false; // the live socket brings the changes: no polling
const lists = new Map(); // sequence id -> <ul> of its jobs
const rows = new Map(); // job id -> <li>
const finishListeners = new Set();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const label = (state) => LABELS[state] || state;
const percent = (job) => (job.state === "succeeded" ? 100 : Math.round((job.progress || 0) * 100));

// fn(job) runs when a job the page saw in flight ends (succeeded, failed or canceled).
export function onFinished(fn) {
  finishListeners.add(fn);
}

export function setLive(on) {
  live = on;
}

// The latest jobs, newest first (of the timeline, or a snapshot after a reconnect): follow
// those in flight at once (a reload mid-job keeps showing its progress), bring the ones shown
// up to date, and show each sequence's latest job if it failed just now.
export function load(list) {
  const latestSeen = new Set();
  const shown = (list || []).filter((job) => {
    const latest = !latestSeen.has(job.sequence);
    latestSeen.add(job.sequence);
    const recentFailure = job.state === "failed" && Date.now() - Date.parse(job.finished_at) < RECENT_FAILURE_MS;
    return ACTIVE.has(job.state) || (latest && recentFailure) || jobs.has(job.id);
  });
  // Oldest first: each row goes on top of the list, so the newest ends up first.
  for (const job of shown.reverse()) update(job);
}

// A job answered by the server (202, a poll, a cancel, later a live event).
export function update(job) {
  const before = jobs.get(job.id);
  // Answers can cross: a job that has ended never goes back in flight.
  if (before && !ACTIVE.has(before.state) && ACTIVE.has(job.state)) return;
  jobs.set(job.id, job);
  paint(job);
  if (before && before.state !== job.state) {
    announce(`${store.sequenceName(job.sequence)}: ${describe(job)}`);
    if (ACTIVE.has(before.state) && !ACTIVE.has(job.state)) for (const fn of finishListeners) fn(job);
  }
  if (ACTIVE.has(job.state)) follow(job.id);
}

// A job just made by this page (generate, generate again): shown and followed from now on.
export function track(job) {
  const known = jobs.has(job.id);
  update(job);
  if (!known) announce(`${store.sequenceName(job.sequence)}: generation ${label(job.state).toLowerCase()}.`);
}

function describe(job) {
  if (job.state === "succeeded") return "generation succeeded; the new take is in its takes.";
  if (job.state === "failed") return `generation failed. ${job.error_message}`;
  return `generation ${label(job.state).toLowerCase()}.`;
}

// Poll one job every second until it ends, while the live socket is down; while the server
// cannot be reached, wait twice as long each time (up to 16 s) instead of hammering it.
async function follow(id) {
  if (following.has(id)) return;
  following.add(id);
  let wait = POLL_MS;
  try {
    while (ACTIVE.has(jobs.get(id)?.state)) {
      await sleep(wait);
      if (live) continue;
      try {
        update(await api.job(id));
        wait = POLL_MS;
      } catch (error) {
        if (error.status === 404) return forget(id); // deleted with its sequence
        wait = Math.min(wait * 2, MAX_BACKOFF_MS);
      }
    }
  } finally {
    following.delete(id);
  }
}

function forget(id) {
  const row = rows.get(id);
  const sequenceId = jobs.get(id)?.sequence;
  const hadFocus = row?.contains(document.activeElement);
  jobs.delete(id);
  rows.delete(id);
  row?.remove();
  // A removed button takes the focus with it: hand it to the sequence's Generate button.
  if (hadFocus) document.querySelector(`[data-focus-key="generate-${sequenceId}"]`)?.focus();
}

export async function cancel(id, button) {
  button.disabled = true;
  try {
    update(await api.cancelJob(id));
  } catch (error) {
    // 409: it ended meanwhile; the answer carries the job as it is now.
    if (error.status === 409 && error.data?.job) update(error.data.job);
    else {
      rows.get(id)?.querySelector(".job-note")?.replaceChildren(`Could not cancel: ${error.message}`);
      button.disabled = false;
    }
  }
}

// Views

// The (persistent) list of a sequence's jobs, newest first.
export function list(sequenceId) {
  if (!lists.has(sequenceId)) {
    lists.set(sequenceId, h("ul", { class: "jobs" }));
  }
  return lists.get(sequenceId);
}

function paint(job) {
  let row = rows.get(job.id);
  if (!row) {
    row = newRow(job);
    rows.set(job.id, row);
    list(job.sequence).prepend(row);
  }
  const value = percent(job);
  row.dataset.state = job.state;
  row.querySelector(".job-state").textContent = label(job.state);
  const bar = row.querySelector("[role=progressbar]");
  bar.setAttribute("aria-valuenow", String(value));
  bar.setAttribute("aria-valuetext", `${value} %, ${label(job.state).toLowerCase()}`);
  bar.firstChild.style.width = `${value}%`;
  row.querySelector(".job-pct").textContent = `${value} %`;
  const active = ACTIVE.has(job.state);
  const cancelButton = row.querySelector(".job-cancel");
  if (cancelButton) cancelButton.hidden = !active;
  row.querySelector(".job-dismiss").hidden = active;
  row.querySelector(".job-note").textContent = note(job);
}

function note(job) {
  if (job.state === "failed") return job.error_message || "The generation failed.";
  if (job.state === "succeeded") return "Done: the new take is in the takes below.";
  if (job.state === "held") return "Waiting for review: a moderator looks at this storyboard before it is generated (you can cancel it meanwhile).";
  return "";
}

function newRow(job) {
  const name = `job ${job.id}`;
  const row = h(
    "li",
    { class: "job", "data-job": job.id },
    h(
      "div",
      { class: "job-line" },
      h("span", { class: "job-state" }),
      h("span", { class: "job-meta" }, `${job.provider} · ${name}`),
      h(
        "div",
        { class: "job-bar", role: "progressbar", "aria-label": `Progress of ${name}`, "aria-valuemin": "0", "aria-valuemax": "100" },
        h("span", { class: "job-fill" }),
      ),
      h("span", { class: "job-pct" }),
      store.readOnly()
        ? null
        : h("button", { type: "button", class: "job-cancel danger", "data-focus-key": `cancel-${job.id}`, "aria-label": `Cancel ${name}`, onclick: (e) => cancel(job.id, e.currentTarget) }, "Cancel"),
      h("button", { type: "button", class: "link job-dismiss", "aria-label": `Dismiss ${name}`, onclick: () => forget(job.id) }, "Dismiss"),
    ),
    h("p", { class: "job-note" }),
  );
  return row;
}

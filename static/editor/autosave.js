// autosave.js — every change reaches the server through here: one serial queue of writes (so
// each PATCH carries the version the previous answer gave back), field edits debounced (text)
// or immediate (other controls), the save status, refused saves (400: messages by field) and
// conflicts (409: the local edit is kept, the user chooses "Keep mine" or "Take theirs").
import { api } from "./api.js";
import * as store from "./store.js";
import * as undo from "./undo.js";
import { flatten, scheduleValidation } from "./validation.js";

const TEXT_DELAY_MS = 500;
const timers = new Map(); // "shot:5" -> timeout of a debounced save
let tail = Promise.resolve();
let running = 0;
let lastError = "";
const inFlight = new Set(); // "shot:5" while its PATCH is on the way
const settledListeners = new Set();

// A save of `key` is on the way: its own live event may come before its answer.
export const saving = (key) => inFlight.has(key);
// fn(key) runs when a save of `key` has its answer.
export function onSettled(fn) {
  settledListeners.add(fn);
}

// Run `task` after every write queued before it; returns its result (or undefined on error).
export function write(task) {
  running++;
  refresh();
  const run = tail.then(async () => {
    try {
      const result = await task();
      if (result !== false) lastError = ""; // false: the task reported its own failure
      return result;
    } catch (error) {
      lastError = error.message || String(error);
      return undefined;
    }
  });
  tail = run.finally(() => {
    running--;
    refresh();
  });
  return run;
}

// An edit of fields of a shot or sequence: shown at once, saved after `debounce` or now.
export function edit(kind, id, fields, { debounce = false } = {}) {
  if (store.readOnly(store.sequenceOf(kind, id))) return;
  store.setLocal(kind, id, fields);
  const key = store.keyOf(kind, id);
  clearTimeout(timers.get(key));
  timers.delete(key);
  if (debounce) timers.set(key, setTimeout(() => flush(kind, id), TEXT_DELAY_MS));
  else flush(kind, id);
  refresh();
}

export function flush(kind, id) {
  const key = store.keyOf(kind, id);
  clearTimeout(timers.get(key));
  timers.delete(key);
  if (store.conflict(key)) return Promise.resolve(); // held until the user chooses
  return write(() => save(kind, id, { record: true }));
}

// Inside a queued task (undo/redo): set fields and save them now, without a new undo entry.
export async function saveInTask(kind, id, fields) {
  store.setLocal(kind, id, fields);
  const ok = await save(kind, id, { record: false });
  if (!ok) throw new Error(lastError || "the change was not saved");
}

// PATCH the pending fields of one object with the version they are based on.
async function save(kind, id, { record, version }) {
  const key = store.keyOf(kind, id);
  const pending = store.takePending(key);
  const obj = store.object(kind, id);
  if (!pending || !obj) return true;
  inFlight.add(key);
  try {
    const saved = await api.patch(kind, id, { ...pending.fields, version: version ?? obj.version });
    applyServer(kind, saved);
    store.setFieldErrors(key, null);
    if (record) undo.record({ type: "fields", kind, id, before: pending.before, after: pending.fields });
    scheduleValidation(kind === "shot" ? saved.sequence : saved.id);
    return true;
  } catch (error) {
    store.restorePending({ ...pending, record });
    if (error.status === 409 && error.data?.current) {
      store.setConflict(key, { kind, id, detail: error.data.detail, theirs: error.data.current, record });
    } else if (error.status === 400 && error.data) {
      store.setFieldErrors(key, flatten(error.data));
      lastError = error.message;
    } else {
      lastError = error.message;
    }
    refresh();
    return false;
  } finally {
    inFlight.delete(key);
    for (const fn of settledListeners) fn(key);
  }
}

function applyServer(kind, saved) {
  if (kind === "shot") store.applyServerShot(saved);
  else store.applyServerSequence(saved);
}

// "Keep mine": the local fields again, on top of the version the other person saved.
export function keepMine(key) {
  const found = store.conflict(key);
  if (!found) return Promise.resolve();
  store.setConflict(key, null);
  const record = store.pendingOf(key)?.record ?? true;
  return write(() => save(found.kind, found.id, { record, version: found.theirs.version }));
}

// "Take theirs": drop the local fields and show the other person's version.
export function takeTheirs(key) {
  const found = store.conflict(key);
  if (!found) return;
  store.takePending(key);
  lastError = "";
  store.setConflict(key, null);
  store.setFieldErrors(key, null);
  applyServer(found.kind, found.theirs);
  store.changed("reset");
  scheduleValidation(found.kind === "shot" ? found.theirs.sequence : found.theirs.id);
  refresh();
}

// Send every pending edit again (after a network error, for instance).
export function retry() {
  lastError = "";
  for (const key of pendingKeys()) {
    const [kind, id] = key.split(":");
    flush(kind, Number(id));
  }
  refresh();
}

function pendingKeys() {
  return store.sequences().flatMap((seq) =>
    [store.keyOf("sequence", seq.id), ...seq.shots.map((s) => store.keyOf("shot", s.id))].filter(
      (key) => store.pendingOf(key),
    ),
  );
}

// Save what is being typed now, and wait until every queued write is done.
export async function idle() {
  for (const key of [...timers.keys()]) {
    const [kind, id] = key.split(":");
    flush(kind, Number(id));
  }
  while (running) await tail;
}

export const busy = () => running > 0 || timers.size > 0 || store.hasPending();

function refresh() {
  if (store.conflicts().length) {
    store.setStatus("conflict", "Conflict: someone else changed this meanwhile");
  } else if (running || timers.size) {
    store.setStatus("saving", "Saving…");
  } else if (store.hasFieldErrors() && store.hasPending()) {
    store.setStatus("error", "Not saved: correct the fields marked in red");
  } else if (lastError) {
    store.setStatus("error", `Not saved: ${lastError}`);
  } else if (store.hasPending()) {
    store.setStatus("error", "Some changes are not saved yet");
  } else {
    store.setStatus("saved", "All changes saved");
  }
}

export { refresh as refreshStatus };

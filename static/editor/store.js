// store.js — the editor state and its change notifications. It holds the sequences with their
// shots in order, the selection, validation reports, 400 field errors, edit conflicts, the save
// status and the local edits not saved yet. Views render from it; every server answer comes in
// through applyServerShot / applyServerSequence (a live "shot.updated" event can use them too).

const state = {
  boot: null,
  sequences: [], // sequence fields + shots: [shot, …] in timeline order
  selection: { sequenceId: null, shotId: null },
  reports: new Map(), // sequence id -> {ok, errors, warnings, estimate}
  fieldErrors: new Map(), // "shot:5" -> {"text": [...], "dialogue.0.text": [...]} from a 400
  conflicts: new Map(), // "shot:5" -> {kind, id, fields, before, theirs, detail}
  pending: new Map(), // "shot:5" -> {kind, id, fields, before}: typed, not saved yet
  status: { state: "saved", message: "" },
  alias: new Map(), // "shot:5" -> 9 once an undo re-created shot 5 as shot 9
  elements: [], // the elements the project may use: {id, handle, kind, library, library_name, image_count, thumbnail}
  openComments: {}, // shot id -> open comment threads (the timeline's badges)
};

const listeners = new Set();
let queued = null;

// fn(topics: Set) is called once per burst of changes; topics: timeline, selection, report,
// errors, conflict, status, elements.
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function changed(...topics) {
  if (!queued) {
    queued = new Set();
    queueMicrotask(() => {
      const topicsNow = queued;
      queued = null;
      for (const fn of listeners) fn(topicsNow);
    });
  }
  for (const topic of topics) queued.add(topic);
}

const clone = (value) => (value && typeof value === "object" ? structuredClone(value) : value);
export const keyOf = (kind, id) => `${kind}:${id}`;
export const boot = () => state.boot;
// Read-only: everything for a member who may not edit; one sequence (with its shots) while it
// is approved (review.js), until an owner or editor reopens it.
export const readOnly = (sequenceId = null) =>
  !state.boot.permissions.includes("edit") || (sequenceId != null && sequence(sequenceId)?.review_state === "approved");
// The sequence a shot or sequence belongs to.
export const sequenceOf = (kind, id) => (kind === "shot" ? locate(id)?.sequence.id : id);
export const limits = () => state.boot.limits;
export const choices = () => state.boot.choices;

export function init(bootData) {
  state.boot = bootData;
}

export function load(timeline) {
  state.sequences = timeline.sequences.map(normalizedSequence);
  state.openComments = timeline.open_comments || {};
  state.elements = timeline.elements || [];
  // The timeline carries each sequence's validation report: no request per sequence on load.
  for (const sequence of timeline.sequences) {
    if (sequence.validation) state.reports.set(sequence.id, sequence.validation);
  }
  const first = state.sequences[0];
  state.selection = { sequenceId: first ? first.id : null, shotId: null };
  changed("timeline", "selection", "report");
}

function normalizedSequence(sequence) {
  const copy = clone(sequence);
  delete copy.validation;
  copy.shots = (copy.shots || []).slice().sort((a, b) => a.position - b.position);
  return copy;
}

// Lookups

export const sequences = () => state.sequences;
export const sequence = (id) => state.sequences.find((s) => s.id === id) || null;
// "Sequence 2": how the page names a sequence (its place in the reel), for labels and messages.
export const sequenceName = (id) => `Sequence ${state.sequences.findIndex((s) => s.id === id) + 1}`;

export function locate(shotId) {
  for (const seq of state.sequences) {
    const index = seq.shots.findIndex((s) => s.id === shotId);
    if (index >= 0) return { sequence: seq, index, shot: seq.shots[index] };
  }
  return null;
}

export const shot = (id) => locate(id)?.shot || null;
export const object = (kind, id) => (kind === "shot" ? shot(id) : sequence(id));

// Ids re-created by undo/redo: an old id maps to the row that replaced it.
export function resolve(kind, id) {
  let current = id;
  for (let i = 0; i < 100 && state.alias.has(keyOf(kind, current)); i++) {
    current = state.alias.get(keyOf(kind, current));
  }
  return current;
}
export const setAlias = (kind, oldId, newId) => state.alias.set(keyOf(kind, oldId), newId);
export const aliases = () => Object.fromEntries(state.alias);
export const restoreAliases = (entries) => {
  for (const [k, v] of Object.entries(entries || {})) state.alias.set(k, v);
};

// Server answers and events

export function applyServerShot(server) {
  const seq = sequence(server.sequence);
  if (!seq) return;
  const local = state.pending.get(keyOf("shot", server.id));
  const merged = { ...clone(server), ...(local ? clone(local.fields) : {}) };
  const index = seq.shots.findIndex((s) => s.id === server.id);
  if (index >= 0) {
    if (server.version < seq.shots[index].version) return; // an older answer or event
    seq.shots[index] = merged;
  } else {
    seq.shots.splice(Math.min(server.position ?? seq.shots.length, seq.shots.length), 0, merged);
  }
  changed("timeline");
}

export function applyServerSequence(server) {
  const existing = sequence(server.id);
  if (!existing) {
    state.sequences.push(normalizedSequence(server));
    state.sequences.sort((a, b) => a.position - b.position);
  } else if (server.version >= existing.version) {
    const local = state.pending.get(keyOf("sequence", server.id));
    const { shots, ...fields } = clone(server);
    Object.assign(existing, fields, local ? clone(local.fields) : {});
  }
  changed("timeline");
}

export function insertShot(sequenceId, server, index) {
  const seq = sequence(sequenceId);
  if (!seq || seq.shots.some((s) => s.id === server.id)) return;
  seq.shots.splice(Math.max(0, Math.min(index, seq.shots.length)), 0, clone(server));
  changed("timeline");
}

export function removeShot(id) {
  const found = locate(id);
  if (!found) return;
  found.sequence.shots.splice(found.index, 1);
  state.pending.delete(keyOf("shot", id));
  state.conflicts.delete(keyOf("shot", id));
  if (state.selection.shotId === id) state.selection = { sequenceId: found.sequence.id, shotId: null };
  changed("timeline", "selection", "conflict");
}

export function setOrder(sequenceId, ids) {
  const seq = sequence(sequenceId);
  if (!seq) return;
  const byId = new Map(seq.shots.map((s) => [s.id, s]));
  const ordered = ids.map((id) => byId.get(id)).filter(Boolean);
  const rest = seq.shots.filter((s) => !ids.includes(s.id));
  seq.shots = [...ordered, ...rest];
  changed("timeline");
}

export function removeSequence(id) {
  state.sequences = state.sequences.filter((s) => s.id !== id);
  state.reports.delete(id);
  if (state.selection.sequenceId === id) {
    state.selection = { sequenceId: state.sequences[0]?.id ?? null, shotId: null };
  }
  changed("timeline", "selection");
}

// Local edits: shown at once, saved by autosave.js

export function setLocal(kind, id, fields) {
  const obj = object(kind, id);
  if (!obj) return;
  const key = keyOf(kind, id);
  const pending = state.pending.get(key) || { kind, id, fields: {}, before: {} };
  for (const [name, value] of Object.entries(fields)) {
    if (!(name in pending.before)) pending.before[name] = clone(obj[name]);
    pending.fields[name] = clone(value);
    obj[name] = clone(value);
  }
  state.pending.set(key, pending);
  changed("timeline");
}

export function takePending(key) {
  const pending = state.pending.get(key);
  state.pending.delete(key);
  return pending || null;
}

// Put back edits whose save failed, under any newer edit of the same fields.
export function restorePending(pending) {
  const key = keyOf(pending.kind, pending.id);
  const newer = state.pending.get(key);
  if (!newer) {
    state.pending.set(key, pending);
    return;
  }
  newer.before = { ...newer.before, ...pending.before };
  newer.fields = { ...pending.fields, ...newer.fields };
}

export const hasPending = () => state.pending.size > 0;
export const pendingOf = (key) => state.pending.get(key) || null;

// The project's elements (the library panel reloads them after an attach or detach)

export const elements = () => state.elements;
export function setElements(list) {
  state.elements = list || [];
  changed("elements");
}

// Selection, reports, errors, conflicts, status

export const selection = () => state.selection;
export function select(sequenceId, shotId = null) {
  state.selection = { sequenceId, shotId };
  changed("selection");
}

export const report = (sequenceId) => state.reports.get(sequenceId) || null;
export function setReport(sequenceId, value) {
  state.reports.set(sequenceId, value);
  changed("report");
}

export const fieldErrors = (key) => state.fieldErrors.get(key) || {};
export const hasFieldErrors = () => state.fieldErrors.size > 0;
export function setFieldErrors(key, errors) {
  if (errors && Object.keys(errors).length) state.fieldErrors.set(key, errors);
  else state.fieldErrors.delete(key);
  changed("errors");
}

export const conflict = (key) => state.conflicts.get(key) || null;
export const conflicts = () => [...state.conflicts.values()];
export function setConflict(key, value) {
  if (value) state.conflicts.set(key, value);
  else state.conflicts.delete(key);
  changed("conflict", "status");
}

export const status = () => state.status;
export function setStatus(stateName, message = "") {
  state.status = { state: stateName, message };
  changed("status");
}

// Presence: who else has the project open (one entry per connection; a user may have several
// tabs), and the shot each has selected. Our own connection is left out.

const presence = { you: null, entries: new Map() }; // connection -> {connection, user, name, shot}

export function setPresence(list, you) {
  presence.you = you;
  presence.entries = new Map(list.filter((e) => e.connection !== you).map((e) => [e.connection, e]));
  changed("presence");
}

export function updatePresence(entry) {
  if (entry.connection === presence.you) return;
  if (entry.left) presence.entries.delete(entry.connection);
  else presence.entries.set(entry.connection, entry);
  changed("presence");
}

// The other people here, one per user, each with the shots they have selected.
export function people() {
  const byUser = new Map();
  for (const entry of presence.entries.values()) {
    const person = byUser.get(entry.user) || { user: entry.user, name: entry.name, shots: [] };
    if (entry.shot != null && !person.shots.includes(entry.shot)) person.shots.push(entry.shot);
    byUser.set(entry.user, person);
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export const peopleOn = (shotId) => people().filter((p) => p.shots.includes(shotId));

// A snapshot of the server (the live socket, after a reconnect or a gap): the server's state
// with this page's unsaved edits still on top; the selection stays where it was if it can.
export function reconcile(timeline) {
  const mine = (kind, obj) => {
    const local = state.pending.get(keyOf(kind, obj.id));
    return local ? Object.assign(obj, clone(local.fields)) : obj;
  };
  state.sequences = timeline.sequences.map((server) => {
    const seq = mine("sequence", normalizedSequence(server));
    seq.shots = seq.shots.map((shot) => mine("shot", shot));
    return seq;
  });
  state.elements = timeline.elements || [];
  state.openComments = timeline.open_comments || {};
  for (const sequence of timeline.sequences) {
    if (sequence.validation) state.reports.set(sequence.id, sequence.validation);
  }
  const { sequenceId, shotId } = state.selection;
  if (shotId != null && !shot(shotId)) state.selection = { sequenceId, shotId: null };
  if (!sequence(state.selection.sequenceId)) {
    state.selection = { sequenceId: state.sequences[0]?.id ?? null, shotId: null };
  }
  changed("timeline", "selection", "report", "elements");
}

// Open comment threads of a shot (comments.js keeps them up to date from live events).
export const openComments = (shotId) => state.openComments[shotId] || 0;
export function setOpenComments(shotId, count) {
  state.openComments[shotId] = count;
  changed("timeline");
}

// commands.js — what the user does to the storyboard: each action is API calls through the
// save queue (autosave.write) plus an undo entry; undo and redo apply those entries back as new
// API calls (a re-created shot gets a new id, remembered as an alias of the old one).
import { api } from "./api.js";
import { edit, idle, saveInTask, write } from "./autosave.js";
import * as store from "./store.js";
import * as undo from "./undo.js";
import { scheduleValidation } from "./validation.js";

const SHOT_FIELDS = [
  "duration", "shot_size", "camera_angle", "camera_movement",
  "text", "lettering", "transition", "sound_notes",
];
const SEQUENCE_FIELDS = [
  "title", "mode", "prompt", "auto_duration", "model_family",
  "native_audio", "quality", "negative_prompt", "seed",
];
const LINE_FIELDS = ["speaker", "text", "language", "delivery", "voice_over"];

const pick = (obj, names) => Object.fromEntries(names.map((n) => [n, structuredClone(obj[n])]));
export const lineData = (line) => pick(line, LINE_FIELDS);
const shotData = (shot) => ({ ...pick(shot, SHOT_FIELDS), dialogue: shot.dialogue.map(lineData) });

// Field edits (inspector, resize): autosave saves them and records their undo entries.
export const editShot = (id, fields, options) => edit("shot", id, fields, options);
export const editSequence = (id, fields, options) => edit("sequence", id, fields, options);
export const resizeShot = (id, duration) => edit("shot", id, { duration });

export function addShot(sequenceId) {
  return write(async () => {
    const shot = await api.addShot(sequenceId, {});
    const index = store.sequence(sequenceId).shots.length;
    store.insertShot(sequenceId, shot, index);
    store.select(sequenceId, shot.id);
    undo.record({ type: "create-shot", sequence: sequenceId, id: shot.id, index, data: shotData(shot) });
    scheduleValidation(sequenceId);
    return shot;
  });
}

export function duplicateShot(id) {
  return write(async () => {
    const copy = await api.duplicateShot(id);
    const found = store.locate(id);
    const index = found ? found.index + 1 : copy.position;
    store.insertShot(copy.sequence, copy, index);
    store.select(copy.sequence, copy.id);
    undo.record({ type: "create-shot", sequence: copy.sequence, id: copy.id, index, data: shotData(copy) });
    scheduleValidation(copy.sequence);
    return copy;
  });
}

export function deleteShot(id) {
  return write(async () => {
    const found = store.locate(id);
    if (!found) return;
    const entry = { type: "delete-shot", sequence: found.sequence.id, id, index: found.index };
    entry.data = shotData(found.shot);
    await api.deleteShot(id);
    store.removeShot(id);
    undo.record(entry);
    scheduleValidation(found.sequence.id);
  });
}

// Move a shot to `toIndex` in its sequence: shown at once, then the whole order is posted.
export function moveShot(id, toIndex) {
  const found = store.locate(id);
  if (!found || found.index === toIndex) return Promise.resolve();
  const seq = found.sequence;
  const before = seq.shots.map((s) => s.id);
  const after = before.filter((x) => x !== id);
  after.splice(toIndex, 0, id);
  store.setOrder(seq.id, after);
  return write(async () => {
    const order = store.sequence(seq.id).shots.map((s) => s.id);
    try {
      await api.reorder(seq.id, order);
    } catch (error) {
      store.setOrder(seq.id, before);
      throw error;
    }
    undo.record({ type: "reorder", sequence: seq.id, before, after: order });
    scheduleValidation(seq.id);
  });
}

export function addSequence() {
  return write(async () => {
    const created = await api.addSequence(store.boot().project_id, { mode: "custom" });
    store.applyServerSequence(created);
    store.select(created.id);
    undo.record({ type: "create-sequence", id: created.id, data: pick(created, SEQUENCE_FIELDS), shots: [] });
    scheduleValidation(created.id);
  });
}

export function deleteSequence(id) {
  return write(async () => {
    const seq = store.sequence(id);
    if (!seq) return;
    const shots = seq.shots.map((s) => ({ id: s.id, data: shotData(s) }));
    const entry = { type: "delete-sequence", id, data: pick(seq, SEQUENCE_FIELDS), shots };
    await api.deleteSequence(id);
    store.removeSequence(id);
    undo.record(entry);
  });
}

// First or end frame image: PUT to set, DELETE to clear (not part of undo).
export function setFrame(id, which, file) {
  const key = store.keyOf("sequence", id);
  const name = `${which}_frame`;
  return write(async () => {
    try {
      const saved = file ? await api.uploadFrame(id, which, file) : await api.clearFrame(id, which);
      store.applyServerSequence(saved);
      const { [name]: _, ...others } = store.fieldErrors(key);
      store.setFieldErrors(key, others);
    } catch (error) {
      const message = error.data?.image?.[0] || error.message;
      store.setFieldErrors(key, { ...store.fieldErrors(key), [name]: [message] });
      throw error;
    }
  });
}

// Undo and redo

export async function undoLast() {
  await idle();
  const entry = undo.takeUndo();
  if (!entry) return;
  const ok = await write(async () => {
    await applyEntry(entry, false);
    return true;
  });
  if (ok) undo.pushRedo(entry);
}

export async function redoLast() {
  await idle();
  const entry = undo.takeRedo();
  if (!entry) return;
  const ok = await write(async () => {
    await applyEntry(entry, true);
    return true;
  });
  if (ok) undo.pushUndo(entry);
}

async function applyEntry(entry, forward) {
  switch (entry.type) {
    case "fields":
      return saveInTask(entry.kind, store.resolve(entry.kind, entry.id), forward ? entry.after : entry.before);
    case "reorder":
      return applyOrder(entry, forward ? entry.after : entry.before);
    case "create-shot":
      return forward ? recreateShot(entry) : removeShotRow(entry);
    case "delete-shot":
      return forward ? removeShotRow(entry) : recreateShot(entry);
    case "create-sequence":
      return forward ? recreateSequence(entry) : removeSequenceRow(entry);
    case "delete-sequence":
      return forward ? removeSequenceRow(entry) : recreateSequence(entry);
    default:
      throw new Error(`unknown step ${entry.type}`);
  }
}

async function applyOrder(entry, wanted) {
  const seqId = store.resolve("sequence", entry.sequence);
  const present = store.sequence(seqId).shots.map((s) => s.id);
  const ordered = wanted.map((id) => store.resolve("shot", id)).filter((id) => present.includes(id));
  const order = [...ordered, ...present.filter((id) => !ordered.includes(id))];
  await api.reorder(seqId, order);
  store.setOrder(seqId, order);
  scheduleValidation(seqId);
}

async function recreateShot(entry) {
  const seqId = store.resolve("sequence", entry.sequence);
  const shot = await api.addShot(seqId, { ...entry.data, position: entry.index });
  store.setAlias("shot", store.resolve("shot", entry.id), shot.id);
  store.insertShot(seqId, shot, entry.index);
  scheduleValidation(seqId);
}

async function removeShotRow(entry) {
  const id = store.resolve("shot", entry.id);
  const found = store.locate(id);
  await api.deleteShot(id);
  store.removeShot(id);
  if (found) scheduleValidation(found.sequence.id);
}

async function recreateSequence(entry) {
  const created = await api.addSequence(store.boot().project_id, entry.data);
  store.setAlias("sequence", store.resolve("sequence", entry.id), created.id);
  store.applyServerSequence(created);
  for (const [index, old] of entry.shots.entries()) {
    const shot = await api.addShot(created.id, { ...old.data, position: index });
    store.setAlias("shot", store.resolve("shot", old.id), shot.id);
    store.insertShot(created.id, shot, index);
  }
  store.select(created.id);
  scheduleValidation(created.id);
}

async function removeSequenceRow(entry) {
  const id = store.resolve("sequence", entry.id);
  await api.deleteSequence(id);
  store.removeSequence(id);
}

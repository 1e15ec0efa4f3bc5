// undo.js — the undo and redo stacks (up to 100 steps), kept in sessionStorage so that they
// survive a reload of the page. Entries are plain data; commands.js applies them as new API calls:
//   {type: "fields", kind: "shot" | "sequence", id, before, after}   a field edit or a resize
//   {type: "reorder", sequence, before: [shot ids], after: [shot ids]}
//   {type: "create-shot" | "delete-shot", sequence, id, index, data}  add, duplicate, delete
//   {type: "create-sequence" | "delete-sequence", id, data, shots: [{id, data}]}
import * as store from "./store.js";

const LIMIT = 100;
let storageKey = null;
let undoStack = [];
let redoStack = [];

export function init(projectId) {
  storageKey = `storyboard-undo-${projectId}`;
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey) || "null");
    if (saved) {
      undoStack = saved.undo || [];
      redoStack = saved.redo || [];
      store.restoreAliases(saved.alias);
    }
  } catch {
    undoStack = [];
    redoStack = [];
  }
  store.changed("undo");
}

function save() {
  try {
    const data = { undo: undoStack, redo: redoStack, alias: store.aliases() };
    sessionStorage.setItem(storageKey, JSON.stringify(data));
  } catch {
    // a full or disabled storage only costs the history across reloads
  }
  store.changed("undo");
}

// A new edit by the user: it can be undone, and what was undone before can no longer be redone.
export function record(entry) {
  undoStack.push(entry);
  if (undoStack.length > LIMIT) undoStack.shift();
  redoStack = [];
  save();
}

export const takeUndo = () => take(undoStack);
export const takeRedo = () => take(redoStack);
export const pushUndo = (entry) => push(undoStack, entry);
export const pushRedo = (entry) => push(redoStack, entry);
export const peekUndo = () => undoStack.at(-1) || null;
export const peekRedo = () => redoStack.at(-1) || null;

function take(stack) {
  const entry = stack.pop() || null;
  save();
  return entry;
}

function push(stack, entry) {
  stack.push(entry);
  if (stack.length > LIMIT) stack.shift();
  save();
}

const LABELS = {
  reorder: "reorder shots",
  "create-shot": "add shot",
  "delete-shot": "delete shot",
  "create-sequence": "add sequence",
  "delete-sequence": "delete sequence",
};

export function label(entry) {
  if (!entry) return "";
  if (entry.type !== "fields") return LABELS[entry.type] || entry.type;
  const names = Object.keys(entry.after).map((n) => n.replaceAll("_", " "));
  return `${entry.kind} ${names.join(", ")}`;
}

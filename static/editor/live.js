// live.js — the project's live socket (/ws/projects/<id>/): events of everyone's changes in
// order, presence, and coming back by itself. Every event carries the project's sequence number;
// one out of order waits a moment for the missing ones, and a gap that stays asks for a snapshot
// (the whole state) instead. A closed socket reopens after 0.5, 1, 2 … 15 s (with jitter); a
// socket that went quiet (a laptop lid closed on it) is noticed by the pings and replaced. While
// the socket is down, jobs.js polls the jobs in flight.
import { onSettled, saving } from "./autosave.js";
import * as comments from "./comments.js";
import { sameValue } from "./conflict.js";
import { announce } from "./dom.js";
import * as jobs from "./jobs.js";
import * as store from "./store.js";
import * as takes from "./takes.js";
import { scheduleValidation } from "./validation.js";

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;
const PING_MS = 20000;
const PONG_WAIT_MS = 10000;
const GAP_WAIT_MS = 300; // how long an event out of order waits for the ones before it
const FORBIDDEN = 4403; // not (or no longer) a member: do not come back
const TOO_MANY_SOCKETS = 4429; // the user has too many tabs open: try again slowly
const CROWDED_RETRY_MS = 30000;

let url = null;
let socket = null;
let lastSeq = null; // the number of the last event applied; null until the first snapshot
let waitingForSnapshot = true;
let retries = 0;
let retryTimer = null;
let pingTimer = null;
let pongTimer = null;
let gapTimer = null;
const early = new Map(); // seq -> event that came before the ones it follows

// Someone else's newer version changes a field this page has typed into and not saved yet:
// the same choice as a 409 on save ("Keep mine" / "Take theirs"), offered at once, and nothing
// is saved until it is made. Changes to the other fields go straight in (store.js keeps the
// typed fields on top). While this page's own save of the object is on the way, its event may
// come first: the event waits for the save's answer, which tells whose version it is.
const waiting = new Map(); // "shot:5" -> the latest event that came during a save of it

function clashes(kind, theirs, event) {
  const key = store.keyOf(kind, theirs.id);
  if (saving(key)) {
    waiting.set(key, event);
    return true;
  }
  const pending = store.pendingOf(key);
  const mine = store.object(kind, theirs.id);
  if (!pending || !mine || theirs.version <= mine.version) return false;
  const fields = Object.keys(pending.fields);
  if (fields.every((name) => sameValue(name, theirs[name], pending.before[name]))) return false;
  const what = kind === "shot" ? "shot" : "sequence";
  store.setConflict(key, { kind, id: theirs.id, detail: `Someone else changed this ${what} meanwhile.`, theirs, record: true });
  return true;
}

onSettled((key) => {
  const event = waiting.get(key);
  waiting.delete(key);
  if (event) handlers[event.type](event);
});

const handlers = {
  "shot.updated": (e) => {
    if (!clashes("shot", e.shot, e)) store.applyServerShot(e.shot);
    scheduleValidation(e.shot.sequence);
  },
  "shot.deleted": (e) => {
    store.removeShot(e.shot);
    scheduleValidation(e.sequence);
  },
  "shots.reordered": (e) => {
    store.setOrder(e.sequence, e.shot_ids);
    scheduleValidation(e.sequence);
  },
  "sequence.updated": (e) => {
    if (!clashes("sequence", e.sequence, e)) store.applyServerSequence(e.sequence);
    scheduleValidation(e.sequence.id);
  },
  "sequence.deleted": (e) => store.removeSequence(e.sequence),
  "project.updated": (e) => {
    const title = document.querySelector(".title-block h1");
    if (title) title.textContent = e.project.title;
  },
  "elements.changed": () => askForSnapshot(),
  "job.updated": (e) => jobs.update(e.job),
  "take.created": (e) => takes.merge([e.take]),
  "take.chosen": (e) => takes.markChosen(e.sequence, e.take),
  "take.updated": (e) => takes.merge([e.take]),
  // Taken down (or restored) by a moderator: the page reloads into what the server now says.
  "project.removed": () => window.location.reload(),
  presence: (e) => store.updatePresence(e),
  "comment.changed": (e) => comments.changed(e),
};

// Open the socket of the project shown; `onState(state)` hears "connecting", "live",
// "offline", "crowded" (too many of the user's tabs) and "denied".
let onState = () => {};
export function connect(projectId, stateListener) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  url = `${scheme}://${location.host}/ws/projects/${projectId}/`;
  onState = stateListener || onState;
  open();
  // Back from sleep or offline: try at once rather than wait out the backoff.
  window.addEventListener("online", () => (isOpen() ? ping() : reopenNow()));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") isOpen() ? ping() : reopenNow();
  });
  store.subscribe((topics) => topics.has("selection") && sendSelection());
}

export const isOpen = () => socket?.readyState === WebSocket.OPEN && !waitingForSnapshot;

function open() {
  clearTimeout(retryTimer);
  retryTimer = null;
  waitingForSnapshot = true;
  setState("connecting");
  socket = new WebSocket(url);
  socket.onmessage = (message) => receive(JSON.parse(message.data));
  socket.onclose = (event) => closed(event.code);
}

function reopenNow() {
  if (socket && socket.readyState !== WebSocket.CLOSED) return;
  retries = 0;
  open();
}

function closed(code) {
  stopTimers();
  socket = null;
  if (code === FORBIDDEN) {
    setState("denied");
    return;
  }
  if (code === TOO_MANY_SOCKETS) {
    setState("crowded");
    retryTimer = setTimeout(open, CROWDED_RETRY_MS);
    return;
  }
  setState("offline");
  const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** retries) * (0.5 + Math.random() / 2);
  retries += 1;
  retryTimer = setTimeout(open, wait);
}

function send(message) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

function receive(message) {
  if (message.type === "snapshot") return applySnapshot(message);
  if (message.type === "pong") return clearTimeout(pongTimer);
  if (message.type === "error") return console.warn("live socket:", message.message);
  if (waitingForSnapshot || message.seq <= lastSeq) return; // the snapshot holds it
  early.set(message.seq, message);
  drain();
}

// Apply the events that follow on from the last one; a gap waits, then asks for a snapshot.
function drain() {
  while (early.has(lastSeq + 1)) {
    const event = early.get(lastSeq + 1);
    early.delete(lastSeq + 1);
    lastSeq = event.seq;
    handlers[event.type]?.(event);
  }
  if (!early.size) {
    clearTimeout(gapTimer);
    gapTimer = null;
  } else if (!gapTimer) {
    // From the first event that had to wait: later arrivals do not put the snapshot off.
    gapTimer = setTimeout(() => {
      gapTimer = null;
      askForSnapshot();
    }, GAP_WAIT_MS);
  }
}

function askForSnapshot() {
  if (waitingForSnapshot) return;
  waitingForSnapshot = true;
  early.clear();
  clearTimeout(gapTimer);
  gapTimer = null;
  send({ type: "snapshot" });
}

// The whole state: after a reconnect or a gap, and at first (the page's own load may be a
// moment older).
function applySnapshot(snapshot) {
  if (snapshot.you.role !== store.boot().role) {
    location.reload(); // the role changed: the page must offer what it now allows
    return;
  }
  lastSeq = snapshot.seq;
  waitingForSnapshot = false;
  retries = 0;
  for (const [seq] of early) if (seq <= lastSeq) early.delete(seq);
  store.reconcile(snapshot);
  jobs.load(snapshot.jobs);
  takes.merge(snapshot.takes);
  store.setPresence(snapshot.presence, snapshot.you.connection);
  sendSelection();
  schedulePing();
  setState("live");
  drain();
}

function schedulePing() {
  clearTimeout(pingTimer);
  pingTimer = setTimeout(ping, PING_MS);
}

// A ping unanswered for 10 s means the socket is dead without knowing it: close it and reopen.
function ping() {
  if (socket?.readyState !== WebSocket.OPEN) return;
  send({ type: "ping" });
  clearTimeout(pongTimer);
  pongTimer = setTimeout(() => {
    socket.onclose = null;
    socket.close();
    closed(1006);
  }, PONG_WAIT_MS);
  schedulePing();
}

let selectionSent;
function sendSelection() {
  const shot = store.selection().shotId ?? null;
  if (!isOpen() || shot === selectionSent) return;
  selectionSent = shot;
  send({ type: "select", shot });
}

function stopTimers() {
  for (const timer of [pingTimer, pongTimer, gapTimer]) clearTimeout(timer);
  gapTimer = null;
  selectionSent = undefined;
}

let current = null;
function setState(state) {
  if (state === current) return;
  const before = current;
  current = state;
  jobs.setLive(state === "live");
  onState(state);
  if (state === "offline" && before === "live") announce("Live updates paused: reconnecting…");
  if (state === "live" && before === "offline") announce("Live updates are back.");
  if (state === "denied") announce("You no longer have access to this project.");
  if (state === "crowded") announce("This project is open in too many of your tabs: close some and this one goes live again.");
}

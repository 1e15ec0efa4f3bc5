// presence.js — who else is in the project: an avatar per person in the editor's bar (their
// name and the shots they have selected in its tooltip), small avatars on the shots they have
// selected (timeline.js asks `shotAvatars`), and the state of the live connection.
import { h } from "./dom.js";
import * as store from "./store.js";

const STATES = {
  connecting: "Connecting…",
  live: "Live",
  offline: "Reconnecting…",
  crowded: "Too many tabs",
  denied: "No access",
};

export const initials = (name) =>
  name
    .split(/[\s._@-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0].toUpperCase())
    .join("") || "?";

// A stable colour per user.
const hue = (userId) => (userId * 137) % 360;

function avatar(person, label, extraClass = "") {
  return h(
    "span",
    { class: `avatar${extraClass}`, role: "img", "aria-label": label, title: label, style: { "--hue": hue(person.user) }, "data-user": person.user },
    initials(person.name),
  );
}

function where(person) {
  const shots = person.shots.map((id) => store.locate(id)).filter(Boolean);
  if (!shots.length) return `${person.name} is here`;
  const names = shots.map(({ sequence, index }) => `shot ${index + 1} of ${store.sequenceName(sequence.id).toLowerCase()}`);
  return `${person.name} is on ${names.join(", ")}`;
}

export function mount(list, status) {
  store.subscribe((topics) => {
    if (topics.has("presence") || topics.has("timeline")) {
      list.replaceChildren(...store.people().map((person) => h("li", {}, avatar(person, where(person)))));
    }
  });
  return (state) => {
    status.dataset.state = state;
    status.textContent = STATES[state] || state;
  };
}

export function shotAvatars(shotId) {
  const people = store.peopleOn(shotId);
  if (!people.length) return null;
  return h(
    "span",
    { class: "clip-people" },
    people.map((person) => avatar(person, `${person.name} has this shot selected`, " small")),
  );
}

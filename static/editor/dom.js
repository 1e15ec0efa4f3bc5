// dom.js — a tiny element builder (no framework) and helpers shared by the views.

// h("button", {class: "x", onclick: fn, "aria-label": "…"}, "text", child…)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false || name === "value") continue;
    if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else if (name === "style" && typeof value === "object") {
      // setProperty, so custom properties (--hue) apply too: Object.assign would drop them.
      for (const [property, v] of Object.entries(value)) el.style.setProperty(property.startsWith("--") ? property : property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v);
    }
    else if (typeof value === "boolean" && name in el) el[name] = value;
    else el.setAttribute(name, value === true ? "" : value);
  }
  append(el, children);
  // The value last, once a select has its options; a property, so textareas get it too.
  if (attrs && attrs.value !== undefined && attrs.value !== null) el.value = attrs.value;
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

// The human label of a choice value, from boot.choices[name].
export function labelOf(choices, name, value) {
  const found = (choices[name] || []).find((c) => c.value === value);
  return found ? found.label : String(value ?? "").replaceAll("_", " ");
}

export const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// Is the key event typed into a text control (where the browser's own undo applies)?
export function inTextField(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === "TEXTAREA") return true;
  return target.tagName === "INPUT" && !["checkbox", "radio", "button", "file", "submit"].includes(target.type);
}

// Say `text` through the page's polite live region (#live-status): job and take changes that
// happen away from the focus.
export function announce(text) {
  const region = document.getElementById("live-status");
  if (!region) return;
  if (region.textContent !== text) {
    region.textContent = text;
    return;
  }
  // The same words twice in a row would not be read again: clear, then write them back.
  region.textContent = "";
  setTimeout(() => (region.textContent = text), 50);
}

// mentions.js — `@handle` mentions in the editor. attachCompletion(): the completion popup of a
// textarea or input (GET /api/projects/<id>/mentions/?q=: prefix then fuzzy, any script; ↑/↓
// move, Enter/Tab pick, Escape closes, a click picks). withMentions(): a shot text field with
// completion and a preview under it that shows its @mentions as chips, unknown ones flagged
// (a preview only: the server's validation report is what counts).
import { request } from "./api.js";
import { h } from "./dom.js";
import * as store from "./store.js";

const SIGN = /[@＠﹫]/u;
const WORD = /^[\p{L}\p{N}\p{M}_]+/u;
const ALNUM = /[\p{L}\p{N}\p{M}]/u;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;
const MAX_QUERY = 40;
const DELAY_MS = 60;

const popup = h("ul", { class: "mention-popup", id: "mention-popup", role: "listbox", hidden: true });
popup.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus
let open = null; // {control, start, caret, items, active}
let asked = 0;
let timer = null;

const fold = (text) => text.normalize("NFKC").toLowerCase();

// The mention being typed at the caret: the sign's index and what follows it, or null.
function typing(control) {
  const caret = control.selectionStart;
  if (caret == null || caret !== control.selectionEnd) return null;
  const before = control.value.slice(0, caret);
  let start = -1;
  for (let i = before.length - 1; i >= 0 && before.length - i <= MAX_QUERY + 1; i--) {
    if (before[i] === "\n") break;
    if (SIGN.test(before[i])) {
      start = i;
      break;
    }
  }
  if (start < 0 || control.dataset.dismissed === String(start)) return null;
  const prev = before[start - 1];
  if (prev && ALNUM.test(prev) && !UNSPACED.test(prev)) return null; // ana@example.com
  return { start, caret, query: before.slice(start + 1) };
}

export function attachCompletion(control) {
  if (store.readOnly()) return;
  Object.assign(control, { autocomplete: "off" });
  control.setAttribute("aria-autocomplete", "list");
  control.setAttribute("aria-controls", popup.id);
  control.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => suggest(control), DELAY_MS);
  });
  control.addEventListener("keydown", (event) => onKey(event, control));
  control.addEventListener("blur", close);
}

async function suggest(control) {
  const at = typing(control);
  if (!at || document.activeElement !== control) return close();
  const ticket = ++asked;
  const url = `/api/projects/${store.boot().project_id}/mentions/?q=${encodeURIComponent(at.query)}`;
  let found;
  try {
    found = (await request("GET", url)).elements;
  } catch {
    return close();
  }
  if (ticket !== asked || document.activeElement !== control) return;
  // Past a space, only handles that hold the space ("@Male le…") keep the popup open.
  if (/\s/u.test(at.query)) found = found.filter((e) => fold(e.handle).startsWith(fold(at.query)));
  if (!found.length) return close();
  open = { control, ...at, items: found, active: 0 };
  show();
}

function show() {
  const { control, items, active } = open;
  popup.replaceChildren(
    ...items.map((element, i) =>
      h(
        "li",
        { id: `mention-option-${i}`, role: "option", "aria-selected": String(i === active), class: i === active ? "active" : "", onclick: () => pick(i) },
        element.thumbnail ? h("img", { src: `${element.thumbnail}?size=160`, alt: "" }) : h("span", { class: "no-thumb", "aria-hidden": "true" }, element.handle.slice(0, 1)),
        h("span", { class: "handle" }, `@${element.handle}`),
        h("span", { class: "meta" }, `${element.kind} · ${element.library_name}`),
      ),
    ),
  );
  if (!popup.isConnected) document.body.append(popup);
  const box = control.getBoundingClientRect();
  Object.assign(popup.style, { left: `${box.left}px`, top: `${box.bottom + 4}px`, minWidth: `${Math.min(box.width, 320)}px` });
  popup.hidden = false;
  control.setAttribute("aria-expanded", "true");
  control.setAttribute("aria-activedescendant", `mention-option-${active}`);
}

function close() {
  if (open) {
    open.control.setAttribute("aria-expanded", "false");
    open.control.removeAttribute("aria-activedescendant");
  }
  open = null;
  asked++;
  popup.hidden = true;
}

function onKey(event, control) {
  if (!open || open.control !== control) return;
  const n = open.items.length;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    open.active = (open.active + (event.key === "ArrowDown" ? 1 : n - 1)) % n;
    show();
  } else if (event.key === "Enter" || event.key === "Tab") {
    event.preventDefault();
    pick(open.active);
  } else if (event.key === "Escape") {
    event.preventDefault();
    event.stopPropagation();
    control.dataset.dismissed = String(open.start);
    close();
  }
}

function pick(index) {
  const { control, start, caret, items } = open;
  const next = control.value[caret];
  const space = control.tagName === "TEXTAREA" && !(next && /\s/u.test(next)) ? " " : "";
  control.setRangeText(`@${items[index].handle}${space}`, start, caret, "end");
  close();
  control.dispatchEvent(new Event("input", { bubbles: true }));
  clearTimeout(timer); // the inserted text is no new query
}

// The text split into plain runs and mentions: {text} or {text, handle|null} (null: unknown).
export function splitMentions(text, elements) {
  const handles = elements.map((e) => e.handle).sort((a, b) => b.length - a.length);
  const parts = [];
  let plain = "";
  for (let i = 0; i < text.length; ) {
    const prev = text[i - 1];
    const starts = SIGN.test(text[i]) && !(prev && ALNUM.test(prev) && !UNSPACED.test(prev));
    const rest = text.slice(i + 1);
    const handle = starts && handles.find((x) => fold(rest.slice(0, x.length)) === fold(x) && bounded(x, rest[x.length]));
    const word = starts && !handle ? rest.match(WORD) : null;
    const written = handle ? rest.slice(0, handle.length) : word?.[0];
    if (!written) {
      plain += text[i++];
      continue;
    }
    if (plain) parts.push({ text: plain });
    plain = "";
    parts.push({ text: text[i] + written, handle: handle || null });
    i += 1 + written.length;
  }
  if (plain) parts.push({ text: plain });
  return parts;
}

// A handle ending in a letter of a spaced script must not run on into another letter.
const bounded = (handle, next) => !next || UNSPACED.test(handle.at(-1)) || !ALNUM.test(handle.at(-1)) || !ALNUM.test(next);

export function renderChips(el, text) {
  const parts = splitMentions(text || "", store.elements());
  const any = parts.some((p) => "handle" in p);
  el.hidden = !any;
  if (!any) return el.replaceChildren();
  const byHandle = new Map(store.elements().map((e) => [e.handle, e]));
  el.replaceChildren(
    ...parts.map((p) => {
      if (!("handle" in p)) return p.text;
      if (!p.handle) return h("span", { class: "mention-chip unknown", title: "Not an element of this project's libraries" }, p.text);
      const element = byHandle.get(p.handle);
      return h("span", { class: "mention-chip", title: `${element.kind} · ${element.library_name}` }, p.text);
    }),
  );
}

// A bound text field (forms.field) with completion and the chips preview under its control.
export function withMentions(wrap) {
  const { control } = wrap.binding;
  attachCompletion(control);
  const preview = h("div", { class: "mention-preview", "aria-label": "Mentions in this text" });
  control.after(preview);
  const { kind, id, name } = wrap.binding.spec;
  const text = () => (document.activeElement === control ? control.value : (store.object(kind, id)?.[name] ?? control.value));
  const refresh = () => renderChips(preview, text());
  control.addEventListener("input", refresh);
  wrap.binding.refresh = refresh;
  refresh();
  return wrap;
}

// forms.js — form controls bound to one field of a shot or sequence. Every edit goes to
// autosave (text debounced, other controls at once); syncForm() refreshes values (never the
// control being typed in), character counters and messages from the store.
import { edit } from "./autosave.js";
import { h } from "./dom.js";
import * as store from "./store.js";
import { fieldMessages, fillCounter, fillErrors } from "./validation.js";

const TYPED = new Set(["text", "textarea"]);

// spec: {kind, id, name, label, type: text|textarea|select|number|checkbox, choices, hint,
//        min, max, rows, counter: (obj) => [length, max], nullable: bool, placeholder}
export function field(spec) {
  const type = spec.type || "text";
  const controlId = `f-${spec.kind}-${spec.id}-${spec.name}`;
  const attrs = {
    id: controlId,
    name: spec.name,
    "data-focus-key": controlId,
    "aria-describedby": `${controlId}-msg`,
    disabled: store.readOnly(store.sequenceOf(spec.kind, spec.id)),
    placeholder: spec.placeholder,
  };
  let control;
  if (type === "select") {
    control = h("select", attrs, (spec.choices || []).map((c) => h("option", { value: c.value }, c.label)));
  } else if (type === "textarea") {
    control = h("textarea", { ...attrs, rows: spec.rows || 3 });
  } else {
    control = h("input", { ...attrs, type, min: spec.min, max: spec.max, step: type === "number" ? 1 : null });
  }
  const obj = store.object(spec.kind, spec.id);
  write(control, obj[spec.name]);
  control.addEventListener(TYPED.has(type) ? "input" : "change", () => {
    const value = read(control, spec);
    if (value !== undefined) edit(spec.kind, spec.id, { [spec.name]: value }, { debounce: TYPED.has(type) });
  });
  const counter = spec.counter ? h("span", { class: "counter", "aria-live": "off" }) : null;
  const label = h("label", { for: controlId }, spec.label);
  const wrap = h(
    "div",
    { class: `field field-${type}`, "data-field-wrap": spec.name },
    type === "checkbox" ? h("span", { class: "check" }, control, label) : [label, control],
    spec.hint || counter ? h("div", { class: "field-foot" }, spec.hint ? h("span", { class: "hint" }, spec.hint) : null, counter) : null,
    h("ul", { class: "field-errors", id: `${controlId}-msg`, "aria-live": "polite" }),
  );
  wrap.binding = { spec, control, counter };
  return wrap;
}

function read(control, spec) {
  if (control.type === "checkbox") return control.checked;
  if (control.type === "number") {
    if (control.value === "") return spec.nullable ? null : undefined;
    const n = Number(control.value);
    return Number.isInteger(n) ? n : undefined;
  }
  return control.value;
}

function write(control, value) {
  if (control.type === "checkbox") control.checked = Boolean(value);
  else control.value = value ?? "";
}

// Bring every bound field under `root` up to date with the store.
export function syncForm(root) {
  for (const wrap of root.querySelectorAll("[data-field-wrap]")) {
    const { spec, control, counter, refresh } = wrap.binding || {};
    if (refresh) refresh();
    if (!spec) continue;
    const obj = store.object(spec.kind, spec.id);
    if (!obj) continue;
    if (document.activeElement !== control) write(control, obj[spec.name]);
    if (counter) fillCounter(counter, ...spec.counter(obj));
    const list = fieldMessages(spec.kind, spec.id, spec.name);
    fillErrors(wrap.querySelector(".field-errors"), list);
    control.toggleAttribute("aria-invalid", list.length > 0);
    wrap.classList.toggle("has-error", list.length > 0);
  }
}

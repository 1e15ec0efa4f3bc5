// generate.js — the Generate dialog of a sequence: pick a provider, see what the take would
// cost against the balance and what the provider's compiler says (errors per field, warnings),
// then confirm. One Idempotency-Key is made per opening, so a double click or a retried confirm
// never makes two jobs. Refusals (400, 402, 429) are told in words inside the dialog.
import { api, newKey } from "./api.js";
import { h, plural } from "./dom.js";
import * as jobs from "./jobs.js";
import * as store from "./store.js";

const FIELD_WORDS = {
  text: "action",
  shot_size: "shot size",
  camera_angle: "camera angle",
  camera_movement: "camera movement",
  negative_prompt: "negative prompt",
  first_frame: "first frame",
  end_frame: "end frame",
  sound_notes: "sound notes",
  native_audio: "native audio",
  model_family: "model family",
  detail: "",
  non_field_errors: "",
};

// "shots.1.dialogue.0.text" -> "Shot 2, line 1, text": where a message points, in words.
export function readablePath(path) {
  const parts = String(path).split(".");
  const words = [];
  for (let i = 0; i < parts.length; i++) {
    const [part, next] = [parts[i], parts[i + 1]];
    if ((part === "shots" || part === "dialogue") && /^\d+$/.test(next ?? "")) {
      words.push(`${part === "shots" ? "shot" : "line"} ${Number(next) + 1}`);
      i++;
    } else if (!/^\d+$/.test(part)) {
      words.push(part in FIELD_WORDS ? FIELD_WORDS[part] : part.replaceAll("_", " "));
    }
  }
  const text = words.filter(Boolean).join(", ");
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

// A refused generate (or generate again) in words, for the dialog or the takes panel.
export function refusalText(error) {
  if (error.status === 402 && error.data) {
    return `Not enough credits: this take costs ${plural(error.data.cost, "credit")} and your balance is ${error.data.balance}.`;
  }
  if (error.status === 429) return `Too many generations at once: ${error.message} Wait for one to end, then try again.`;
  if (error.status === 400) return `The storyboard cannot be generated yet: ${error.data?.detail || error.message}`;
  return error.message;
}

// The list items of per-field errors: "Shot 2, action: …".
export function errorItems(errors) {
  return Object.entries(errors || {}).flatMap(([path, list]) =>
    list.map((text) => {
      const where = readablePath(path);
      return h("li", {}, where ? h("strong", {}, `${where}: `) : null, text);
    }),
  );
}

let dialog = null;
let parts = null;
let session = null; // {sequenceId, key, provider, report, credits, checking, sending, refusal, opener}
let providers = null;

export async function open(sequenceId, opener) {
  if (!dialog) build();
  session = { sequenceId, key: newKey(), provider: parts.provider.value || null, report: null, credits: null, checking: true, sending: false, refusal: "", opener };
  parts.title.textContent = `Generate ${store.sequenceName(sequenceId).toLowerCase()}`;
  paint();
  dialog.showModal();
  parts.provider.focus();
  const current = session;
  api.credits().then((credits) => {
    current.credits = credits;
    if (session === current) paint();
  }, () => {});
  try {
    providers ??= await api.providers();
  } catch (error) {
    current.refusal = `Could not list the providers: ${error.message}`;
    current.checking = false;
    return paint();
  }
  if (session !== current) return;
  fillProviders();
  check();
}

function build() {
  parts = {
    title: h("h2", { id: "gen-title" }),
    provider: h("select", { id: "gen-provider", onchange: () => { session.provider = parts.provider.value; check(); } }),
    estimate: h("dl", { class: "gen-estimate", "aria-live": "polite" }),
    errors: h("section", { class: "gen-errors" }),
    warnings: h("section", { class: "gen-warnings" }),
    refusal: h("p", { class: "gen-refusal", role: "alert" }),
    confirm: h("button", { type: "button", class: "primary", onclick: confirm }, "Generate take"),
  };
  dialog = h(
    "dialog",
    { class: "gen-dialog", "aria-labelledby": "gen-title", onclose: restoreFocus },
    h(
      "form",
      { method: "dialog", onsubmit: (e) => e.preventDefault() },
      parts.title,
      h("p", { class: "gen-lead" }, "One take of the sequence as it is now. Later edits do not change a job once it is made."),
      h("div", { class: "field" }, h("label", { for: "gen-provider" }, "Provider"), parts.provider),
      parts.estimate,
      parts.errors,
      parts.warnings,
      parts.refusal,
      h("div", { class: "dialog-actions" }, h("button", { type: "button", onclick: () => dialog.close() }, "Cancel"), parts.confirm),
    ),
  );
  document.body.append(dialog);
}

function fillProviders() {
  const chosen = session.provider && providers.some((p) => p.value === session.provider) ? session.provider : providers[0]?.value;
  parts.provider.replaceChildren(...providers.map((p) => h("option", { value: p.value }, p.label)));
  parts.provider.value = chosen || "";
  session.provider = chosen || null;
}

// Ask the server what this provider would say (errors, warnings, seconds, cost, balance).
async function check() {
  const current = session;
  const provider = current.provider;
  current.checking = true;
  current.refusal = "";
  paint();
  try {
    const report = await api.validate(current.sequenceId, provider);
    if (session !== current || current.provider !== provider) return; // a newer check runs
    current.report = report;
  } catch (error) {
    if (session !== current) return;
    current.report = null;
    current.refusal = `Could not check the storyboard: ${error.message}`;
  }
  current.checking = false;
  paint();
}

function blocked() {
  const report = session.report;
  if (!report) return "no-report";
  if (Object.keys(report.errors || {}).length) return "errors";
  if (report.estimate && report.estimate.cost > report.estimate.balance) return "balance";
  return "";
}

function paint() {
  const { report, credits } = session;
  const estimate = report?.estimate;
  const entry = (name, term, value) => h("div", { "data-estimate": name }, h("dt", {}, term), h("dd", {}, value));
  parts.estimate.replaceChildren(
    entry("seconds", "Length", estimate ? plural(estimate.seconds, "second") : "…"),
    entry("cost", "Cost", estimate ? plural(estimate.cost, "credit") : "…"),
    entry("balance", "Your balance", estimate ? plural(estimate.balance, "credit") : "…"),
    credits ? entry("in-flight", "Jobs in flight", `${credits.in_flight} of at most ${credits.max_in_flight}`) : null,
  );
  parts.estimate.setAttribute("aria-busy", String(session.checking));
  const errors = errorItems(report?.errors);
  parts.errors.replaceChildren(...(errors.length ? [h("h3", {}, "Fix these first"), h("ul", {}, errors)] : []));
  const warnings = report?.warnings || [];
  parts.warnings.replaceChildren(...(warnings.length ? [h("h3", {}, "Warnings"), h("ul", {}, warnings.map((w) => h("li", {}, w)))] : []));
  const short = blocked() === "balance" ? `This take costs more than your balance (${estimate.cost} > ${estimate.balance} credits).` : "";
  parts.refusal.textContent = session.refusal || short;
  parts.confirm.disabled = session.checking || session.sending || Boolean(blocked());
  parts.confirm.textContent = session.sending ? "Generating…" : "Generate take";
}

async function confirm() {
  const current = session;
  if (!current || current.checking || current.sending || blocked()) return;
  current.sending = true;
  current.refusal = "";
  paint();
  try {
    const job = await api.generate(current.sequenceId, current.provider, current.key);
    jobs.track(job); // even if the dialog was closed meanwhile: the job exists
    if (session === current && dialog.open) dialog.close();
  } catch (error) {
    current.sending = false;
    current.refusal = refusalText(error);
    if (error.status === 400 && current.report) {
      current.report = { ...current.report, errors: error.data?.errors || {}, warnings: error.data?.warnings || [] };
    }
    if (error.status === 402 && current.report?.estimate) {
      current.report.estimate = { ...current.report.estimate, cost: error.data.cost, balance: error.data.balance };
    }
    if (session === current) paint();
  }
}

function restoreFocus() {
  const opener = session?.opener;
  const target = opener?.isConnected ? opener : document.querySelector(`[data-focus-key="generate-${session?.sequenceId}"]`);
  target?.focus();
}

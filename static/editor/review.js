// review.js — a sequence's review state: the chip in its timeline row and, in its settings,
// the state with the moves an owner or editor can make (send for review, approve, request
// changes, reopen). Approved, its shots and chosen take are locked by the server (409) until
// it is reopened; the timeline shows its shots read-only meanwhile.
import { api } from "./api.js";
import { announce, h } from "./dom.js";
import * as store from "./store.js";

const LABELS = { draft: "Draft", in_review: "In review", changes_requested: "Changes requested", approved: "Approved" };
// The moves offered from each state: [target state, button label].
const MOVES = {
  draft: [["in_review", "Send for review"]],
  in_review: [["approved", "Approve"], ["changes_requested", "Request changes"]],
  changes_requested: [["in_review", "Send for review again"], ["approved", "Approve"]],
  approved: [["changes_requested", "Reopen"]],
};

export const locked = (sequenceId) => store.sequence(sequenceId)?.review_state === "approved";
const mayReview = () => (store.boot().permissions || []).includes("review");

export function chip(seq) {
  const state = seq.review_state || "draft";
  if (state === "draft") return null;
  const text = state === "approved" ? "🔒 Approved" : LABELS[state];
  return h("span", { class: `chip review-${state}`, title: state === "approved" ? "Approved: reopen it to change its shots or its take" : "Review state" }, text);
}

export function panel(seq) {
  const state = seq.review_state || "draft";
  const message = h("p", { class: "review-message", role: "alert" });
  const move = async (target, button) => {
    button.disabled = true;
    message.textContent = "";
    try {
      store.applyServerSequence(await api.review(seq.id, target));
      announce(`Sequence ${store.sequences().indexOf(store.sequence(seq.id)) + 1}: ${LABELS[target].toLowerCase()}.`);
    } catch (error) {
      message.textContent = error.data?.state?.[0] || error.message;
      button.disabled = false;
    }
  };
  return h(
    "section",
    { class: "review", "aria-label": "Review" },
    h("h3", {}, "Review"),
    h("p", { class: "review-state", "data-state": state }, LABELS[state], state === "approved" ? " — shots and take locked" : ""),
    mayReview()
      ? h("div", { class: "review-moves" }, MOVES[state].map(([target, label]) => h("button", { type: "button", "data-review": target, onclick: (e) => move(target, e.currentTarget) }, label)))
      : null,
    message,
  );
}

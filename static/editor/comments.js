// comments.js — the threads of a shot (under the inspector) or of a take (under its player):
// each comment with its replies, a reply box, resolve / reopen, and a box for a new comment
// (commenters, editors and owners; viewers read). `@username` in a comment notifies that
// member. A panel is kept per shot or take, so a half-written comment survives rebuilds;
// "comment.changed" events (live.js) reload the threads they concern.
import { api } from "./api.js";
import { announce, h } from "./dom.js";
import * as store from "./store.js";

const views = new Map(); // "shot:5" or "take:9" -> {target, root, list, message, threads}
const mayComment = () => (store.boot().permissions || []).includes("comment");
const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

// kind: "shot" or "take".
export function panel(kind, id) {
  const key = `${kind}:${id}`;
  let view = views.get(key);
  if (!view) {
    view = { target: { [kind]: id }, list: h("ol", { class: "threads" }), message: h("p", { class: "comment-message", role: "alert" }), threads: [] };
    const box = h("textarea", { rows: 2, placeholder: `Comment on this ${kind}; @username notifies a member`, "aria-label": "New comment", maxlength: 2000 });
    const send = h("button", { type: "button", onclick: () => post(view, { ...view.target, body: box.value }, box, send) }, "Comment");
    view.root = h(
      "section",
      { class: "comments", "aria-label": kind === "shot" ? "Comments" : "Comments on this take" },
      h("h3", {}, "Comments"),
      view.list,
      mayComment() ? h("div", { class: "comment-new" }, box, send) : null,
      view.message,
    );
    views.set(key, view);
  }
  load(view);
  return view.root;
}

// A live "comment.changed": reload the threads it concerns if shown; the timeline's badge.
export function changed(event) {
  const { shot, take } = event.comment;
  if (shot != null && "open_on_shot" in event) store.setOpenComments(shot, event.open_on_shot);
  const view = views.get(shot != null ? `shot:${shot}` : `take:${take}`);
  if (view?.root.isConnected) load(view);
}

async function load(view) {
  try {
    view.threads = await api.comments(store.boot().project_id, view.target);
    paint(view);
  } catch (error) {
    view.message.textContent = `Could not load the comments: ${error.message}`;
  }
}

async function post(view, data, box, button) {
  button.disabled = true;
  view.message.textContent = "";
  try {
    await api.postComment(store.boot().project_id, data);
    box.value = "";
    announce("Comment posted.");
    await load(view);
  } catch (error) {
    view.message.textContent = error.data?.body?.[0] || error.data?.shot?.[0] || error.message;
  }
  button.disabled = false;
}

async function resolve(view, thread, button) {
  button.disabled = true;
  try {
    await api.resolveComment(thread.id, !thread.resolved);
    await load(view);
  } catch (error) {
    view.message.textContent = error.message;
    button.disabled = false;
  }
}

function comment(c) {
  return h(
    "div",
    { class: "comment", "data-comment": c.id },
    h("p", { class: "comment-meta" }, h("strong", {}, c.author || "Someone"), " · ", h("time", { datetime: c.created_at }, when(c.created_at))),
    h("p", { class: "comment-body" }, c.body),
  );
}

function paint(view) {
  const focused = view.root.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
  view.list.replaceChildren(
    ...view.threads.map((thread) => {
      const reply = h("textarea", { rows: 1, placeholder: "Reply", "aria-label": `Reply to ${thread.author || "the comment"}`, "data-focus-key": `reply-${thread.id}`, maxlength: 2000 });
      const send = h("button", { type: "button", onclick: () => post(view, { parent: thread.id, body: reply.value }, reply, send) }, "Reply");
      return h(
        "li",
        { class: `thread${thread.resolved ? " resolved" : ""}`, "data-thread": thread.id },
        comment(thread),
        thread.replies.length ? h("div", { class: "replies" }, thread.replies.map(comment)) : null,
        thread.resolved ? h("p", { class: "meta" }, `Resolved by ${thread.resolved_by || "someone"}`) : null,
        mayComment()
          ? h(
              "div",
              { class: "thread-actions" },
              thread.resolved ? null : h("div", { class: "comment-reply" }, reply, send),
              h("button", { type: "button", class: "link", onclick: (e) => resolve(view, thread, e.currentTarget) }, thread.resolved ? "Reopen" : "Resolve"),
            )
          : null,
      );
    }),
  );
  if (!view.threads.length) view.list.replaceChildren(h("li", { class: "empty" }, "No comments yet."));
  if (focused) view.root.querySelector(`[data-focus-key="${focused}"]`)?.focus();
}

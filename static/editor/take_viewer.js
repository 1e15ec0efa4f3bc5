// take_viewer.js — one take on the stage of the takes panel: its player (a plain <video> from the
// private media URL, which serves HTTP Range so seeking works), what it is, "Use this take" and
// "Generate again" for editors, and the settings it was made from in a compact disclosure. Also
// "play both" for two takes compared side by side.
import * as comments from "./comments.js";
import { h, labelOf, plural } from "./dom.js";
import { reportForm } from "./report.js";
import * as store from "./store.js";

// What a take is, in one line: "9.0 s · 1280×720 · animatic".
export function facts(take) {
  return [`${Number(take.duration).toFixed(1)} s`, `${take.width}×${take.height}`, take.provider].filter(Boolean).join(" · ");
}

export const when = (iso) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";

// The player of a take; kept by the panel across repaints so playback never restarts. A take
// a moderator took down has no player: the reason, and where to appeal.
export function player(take, name) {
  if (take.removed) {
    return h(
      "div",
      { class: "take-removed", role: "note", "data-removed": take.id },
      h("strong", {}, "Taken down by a moderator"),
      h("p", {}, take.removed_reason),
      h("a", { href: "/moderation/" }, "See the decision or appeal it"),
    );
  }
  return h("video", {
    class: "take-video",
    controls: true,
    preload: "metadata",
    playsinline: true,
    src: take.video_url,
    poster: take.poster_url || null,
    "aria-label": name,
  });
}

// actions: {choose(button) (null while the sequence is approved), again(button)} or null for viewers.
export function viewer(take, name, video, settings, actions) {
  return h(
    "figure",
    { class: `take-viewer${take.chosen ? " chosen" : ""}`, "data-take": take.id },
    video,
    h(
      "figcaption",
      {},
      h("strong", {}, name),
      take.chosen ? h("span", { class: "take-chosen" }, "★ Chosen") : null,
      h("span", { class: "meta" }, facts(take)),
    ),
    actions && !take.removed
      ? h(
          "div",
          { class: "take-actions" },
          take.chosen || !actions.choose
            ? null
            : h("button", { type: "button", class: "primary", "data-focus-key": `choose-${take.id}`, "aria-label": `Use ${name.toLowerCase()}`, onclick: (e) => actions.choose(e.currentTarget) }, "Use this take"),
          h("button", { type: "button", "data-focus-key": `again-${take.id}`, "aria-label": `Generate ${name.toLowerCase()} again`, onclick: (e) => actions.again(e.currentTarget) }, "Generate again"),
        )
      : null,
    settings,
    take.removed ? null : reportForm("take", take.id, name.toLowerCase()),
    comments.panel("take", take.id),
  );
}

// The storyboard a take was made from (its job's frozen copy): sequence options, then each shot.
export function settingsOf(take) {
  const board = take.settings;
  if (!board) return null;
  const choices = store.choices();
  const options = [
    board.mode === "auto" ? `auto, ${board.auto_duration} s` : null,
    board.quality,
    board.model_family ? labelOf(choices, "model_family", board.model_family) : null,
    board.native_audio ? "native audio" : "no audio",
    board.seed !== null && board.seed !== undefined ? `seed ${board.seed}` : null,
    board.first_frame ? "first frame" : null,
    board.end_frame ? "end frame" : null,
  ].filter(Boolean);
  const shots = board.shots || [];
  return h(
    "details",
    { class: "take-settings" },
    h("summary", {}, `Made from ${plural(shots.length, "shot")} · ${options.slice(0, 2).join(" · ")}`),
    h("p", { class: "meta" }, options.join(" · ")),
    board.mode === "auto" && board.prompt ? h("p", { class: "settings-prompt" }, board.prompt) : null,
    board.negative_prompt ? h("p", { class: "meta" }, `Avoid: ${board.negative_prompt}`) : null,
    shots.length
      ? h(
          "ol",
          { class: "settings-shots" },
          shots.map((shot) =>
            h(
              "li",
              {},
              h("span", { class: "settings-dur" }, `${shot.duration} s`),
              h("span", { class: "settings-frame" }, `${labelOf(choices, "shot_size", shot.shot_size)} · ${labelOf(choices, "camera_movement", shot.camera_movement)}`),
              h("span", { class: "settings-text" }, shot.text || "No action"),
              shot.dialogue?.length ? h("span", { class: "meta" }, plural(shot.dialogue.length, "line")) : null,
            ),
          ),
        )
      : null,
  );
}

// Start two players together: both back to the start, wait until each can play (or 3 s), go.
export async function playBoth(videos) {
  for (const video of videos) {
    video.pause();
    video.preload = "auto";
    video.currentTime = 0;
  }
  await Promise.all(videos.map(ready));
  await Promise.all(videos.map((video) => video.play().catch(() => {})));
}

function ready(video) {
  return new Promise((resolve) => {
    const events = ["canplay", "seeked", "error"];
    const done = () => {
      clearTimeout(timer);
      for (const name of events) video.removeEventListener(name, check);
      resolve();
    };
    const check = () => (video.error || (!video.seeking && video.readyState >= 3)) && done();
    const timer = setTimeout(done, 3000);
    for (const name of events) video.addEventListener(name, check);
    check();
  });
}

// Media beside a survey text: an image under the label, a large "Listen" button that plays
// the audio prompt (for a resident who cannot read), a video player. Files come from the
// survey's own files (files.js), in the content language or else the default language.
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";
import { surveyFileUrl } from "./files.js";

function fileFor(media, kind, view) {
  const byLanguage = media && media[kind];
  if (!byLanguage) return null;
  if (typeof byLanguage === "string") return byLanguage;
  return byLanguage[view.lang] || byLanguage[view.defaultLanguage] || Object.values(byLanguage).find(Boolean) || null;
}

function attach(node, attribute, view, name) {
  surveyFileUrl(view.survey, name).then((url) => {
    if (url) node[attribute] = url;
  }).catch(() => {
    node.replaceWith(el("span", { class: "media-missing" }, _("This file is not on this phone yet.")));
  });
  return node;
}

// A play button for an audio prompt; `label` names what is read aloud (for screen readers).
export function listenButton(name, view, label) {
  const player = el("audio", { preload: "none", class: "prompt-audio" });
  const button = el("button", {
    type: "button", class: "listen", "aria-label": label ? `${_("Listen")}: ${label}` : _("Listen"),
    onclick: async () => {
      if (!player.paused) {
        player.pause();
        return;
      }
      try {
        if (!player.src) {
          const url = await surveyFileUrl(view.survey, name);
          if (!url) return;
          player.src = url;
        }
        await player.play();
      } catch {
        button.classList.add("failed");
      }
    },
  }, el("span", { class: "listen-icon", "aria-hidden": "true" }, "▶"), el("span", { class: "listen-text" }, _("Listen")));
  player.addEventListener("play", () => { button.classList.add("playing"); button.querySelector(".listen-icon").textContent = "❚❚"; });
  const stopped = () => { button.classList.remove("playing"); button.querySelector(".listen-icon").textContent = "▶"; };
  player.addEventListener("pause", stopped);
  player.addEventListener("ended", stopped);
  return el("span", { class: "listen-box", "data-audio": name }, button, player);
}

export function audioPrompt(media, view, label) {
  const name = fileFor(media, "audio", view);
  return name ? listenButton(name, view, label) : null;
}

// Image and video shown under a label (null when there is none).
export function visualPrompt(media, view) {
  const parts = [];
  const image = fileFor(media, "image", view);
  if (image) parts.push(attach(el("img", { class: "prompt-image", alt: "", "data-file": image }), "src", view, image));
  const video = fileFor(media, "video", view);
  if (video) parts.push(attach(el("video", { class: "prompt-video", controls: true, preload: "metadata", "data-file": video }), "src", view, video));
  return parts.length ? el("div", { class: "prompt-media" }, ...parts) : null;
}

// Renders one page of a survey: each question with its label, hint, control and error
// line. Only the current page is built (a 100-question survey renders in a few ms).
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";
import { GEO_WIDGETS } from "./geo.js";
import { isConsent } from "./logic.js";
import { MEDIA_WIDGETS } from "./media.js";
import { PLACE_WIDGETS } from "./place.js";
import { WIDGETS } from "./widgets.js";

const ALL = { ...WIDGETS, ...MEDIA_WIDGETS, ...GEO_WIDGETS, ...PLACE_WIDGETS };

function isGroup(q) {
  const [, group] = ALL[q.type] || [null, false];
  return group && !(q.type === "select_one" && /\bminimal\b/.test(q.appearance || ""));
}

// view: {answers, text(obj), set(id, value), problems: {id: message}}
export function renderQuestion(q, view) {
  const [build] = ALL[q.type] || [() => el("p", {}, _("This question cannot be shown on this phone."))];
  const id = `q-${q.id}`;
  const hint = q.hint ? el("p", { class: "hint", id: `${id}-hint` }, view.text(q.hint)) : null;
  const error = el("p", { class: "error", id: `${id}-error`, role: "alert" });
  const describedBy = [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(" ");
  const ctx = { q, id, value: view.answers[q.id], text: view.text, describedBy, set: (value) => view.set(q.id, value) };
  const control = build(ctx);
  const title = [view.text(q.label), q.required && q.type !== "note"
    ? el("span", { class: "required" }, " ", _("(required)")) : null];
  const classes = ["question", `type-${q.type}`, isConsent(q) ? "consent" : ""].join(" ").trim();
  let box;
  if (q.type === "note") {
    box = el("div", { class: classes }, el("p", { class: "note" }, view.text(q.label)), hint);
  } else if (isGroup(q)) {
    box = el("fieldset", { class: classes, "aria-describedby": describedBy },
      el("legend", {}, ...title), hint, control, error);
  } else {
    box = el("div", { class: classes }, el("label", { for: id }, ...title), hint, control, error);
  }
  box.dataset.question = q.id;
  showProblem(box, view.problems[q.id]);
  return box;
}

export function showProblem(box, message) {
  const error = box.querySelector(":scope > .error");
  if (!error) return;
  error.textContent = message || "";
  box.classList.toggle("invalid", Boolean(message));
  for (const input of box.querySelectorAll("input, select, textarea")) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

export function renderPage(page, view, relevant) {
  performance.mark("willay:render-start");
  const section = el("div", { class: "questions" });
  for (const q of page.questions) {
    const box = renderQuestion(q, view);
    box.hidden = !relevant.has(q.id);
    section.append(box);
  }
  performance.measure("willay:render", "willay:render-start");
  return section;
}

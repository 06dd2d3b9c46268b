// The review step before finishing: every question that is asked, grouped by page and
// repeat instance, with its label and a readable answer (choice labels, dates, photo
// thumbnails), problems marked; each row is a button that goes back to the question.
import { getAttachment } from "../db.js";
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";
import { answerText, fillText } from "./labels.js";
import { unanswered } from "./logic.js";
import { placeName } from "./place.js";
import { container, getAnswer, key } from "./structure.js";

// A district is stored as its ubigeo; the review names it (filled in once the list is read).
function placeValue(ubigeo) {
  const span = el("span", { class: "place-name" }, String(ubigeo));
  placeName(ubigeo).then((name) => { span.textContent = name; });
  return span;
}

function thumbnail(sha256) {
  const img = el("img", { class: "review-thumb", alt: _("Photo taken for this question") });
  getAttachment(sha256).then((record) => {
    if (record) img.src = URL.createObjectURL(new Blob([record.bytes], { type: record.type }));
    else img.remove();
  }).catch(() => img.remove());
  return img;
}

// view: as for render.js; problems: {path: message}; jump(pageIndex, path)
export function reviewList(view, problems, jump) {
  const judged = view.judged;
  const sections = [];
  let count = 0;
  const walk = (nodes, at, pageIndex, into) => {
    for (const node of nodes) {
      const path = key(node.id, at);
      if (!node.shown || !judged.relevant.has(path)) continue;
      if (node.kind === "group") {
        walk(node.children, at, pageIndex, into);
      } else if (node.kind === "repeat") {
        const box = at.length ? container(judged.effective, at) : judged.effective;
        const list = box && Array.isArray(box[node.id]) ? box[node.id] : [];
        list.forEach((_instance, index) => {
          const inner = [...at, [node.id, index]];
          const label = node.item.label ? fillText(node.item.label, inner, view) : "";
          const rows = [];
          walk(node.children, inner, pageIndex, rows);
          into.push(el("li", { class: "review-instance" },
            el("p", { class: "review-instance-title" }, label ? `${label} ${index + 1}` : _("Item %(number)s", { number: index + 1 })),
            el("ul", { class: "review-rows" }, ...rows)));
        });
      } else if (node.type !== "note") {
        const value = getAnswer(judged.effective, node.id, at);
        const message = problems[path];
        const label = node.virtual ? _("Which other? Write it") : fillText(node.item.label, at, view);
        const shown = unanswered(value) ? _("No answer")
          : node.type === "place" ? placeValue(value) : answerText(node, value, view);
        count += 1;
        into.push(el("li", {},
          el("button", {
            type: "button", class: `review-row${message ? " has-problem" : ""}${unanswered(value) ? " empty" : ""}`,
            "data-key": path, onclick: () => jump(pageIndex, path),
          },
          el("span", { class: "review-label" }, label),
          el("span", { class: "review-value" }, shown,
            node.type === "photo" && !unanswered(value) ? thumbnail(value) : null),
          message ? el("span", { class: "review-problem" }, message) : null)));
      }
    }
  };
  for (const { page, index, items } of view.form.pages) {
    if (!judged.pages[index]) continue;
    const rows = [];
    walk(items, [], index, rows);
    if (!rows.length) continue;
    sections.push(el("section", { class: "review-page" },
      el("h3", {}, page.title ? view.text(page.title) : _("Page %(number)s", { number: index + 1 })),
      el("ul", { class: "review-rows" }, ...rows)));
  }
  return { element: el("div", { class: "review" }, ...sections), count };
}

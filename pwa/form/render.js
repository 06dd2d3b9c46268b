// Renders one page of a survey: questions with label, media, hint, control and error
// line; groups as sections; repeats as a section per instance with Add / Remove (or
// following repeat_count). Only the current page is built. The page view keeps what it
// built, so a change shows and hides boxes, refreshes texts with outputs and rebuilds only
// the questions whose choices, read-only state or computed value changed.
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";
import { choicesFor } from "./choices.js";
import { compileExpression } from "./expr.js";
import { GEO_WIDGETS } from "./geo.js";
import { fillText, hasOutputs } from "./labels.js";
import { isConsent, isRequired } from "./logic.js";
import { MEDIA_WIDGETS } from "./media.js";
import { PLACE_WIDGETS } from "./place.js";
import { audioPrompt, visualPrompt } from "./prompts.js";
import { selectIsGroup } from "./select.js";
import { container, controlId, getAnswer, instancePath, key } from "./structure.js";
import { WIDGETS } from "./widgets.js";

const ALL = { ...WIDGETS, ...MEDIA_WIDGETS, ...GEO_WIDGETS, ...PLACE_WIDGETS };
const SELECTS = new Set(["select_one", "select_multiple"]);

function isGroup(q, choices) {
  if (SELECTS.has(q.type)) return selectIsGroup(q, choices);
  if (q.type === "date" && / no-calendar /.test(` ${q.appearance || ""} `)) return true;
  const [, group] = ALL[q.type] || [null, false];
  return group;
}

export function isReadOnly(q, judged, at) {
  if (q.read_only === true) return true;
  if (!q.read_only || typeof q.read_only !== "string") return false;
  const rule = compileExpression(q.read_only);
  return Boolean(rule) && rule.evaluateBool(judged.scopes.at(at), { today: judged.today, now: judged.now });
}

const refsOf = (source) => new Set(compileExpression(source)?.references || []);

function dependencies(q) {
  const deps = new Set();
  for (const r of compileExpression(q.choice_filter, { choiceFilter: true })?.references || []) deps.add(r);
  if (typeof q.read_only === "string") for (const r of refsOf(q.read_only)) deps.add(r);
  if (typeof q.required === "string") for (const r of refsOf(q.required)) deps.add(r);
  if (q.calculation) deps.add(q.id);
  return deps.size ? deps : null;
}

export function showProblem(box, message) {
  const error = box.querySelector(":scope > .error");
  if (!error) return;
  if (!message && !box.classList.contains("invalid")) return;
  error.textContent = message || "";
  box.classList.toggle("invalid", Boolean(message));
  for (const input of box.querySelectorAll("input, select, textarea")) {
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

const headingTag = (depth) => `h${Math.min(6, 3 + depth)}`;

// view: {form, survey, lang, defaultLanguage, text(obj), judged, answers, problems,
//        set(node, at, value), addInstance(node, at), removeInstance(node, at, index),
//        rebuild(node, at), fileName(sha), rememberFileName(sha, name)}
export function createPageView(pageIndex, view) {
  const boxes = new Map(); // answer path → {node, at, box, deps}
  const sections = new Map(); // path of groups and repeats → {node, at, box}
  const repeats = []; // {node, at, count}
  const outputs = []; // {target, source, at}

  const textOf = (source, at, target) => {
    const shown = fillText(source, at, view);
    if (target && hasOutputs(view.text(source))) outputs.push({ target, source, at });
    return shown;
  };

  function question(node, at) {
    const q = node.item;
    const id = controlId(q.id, at);
    const path = key(q.id, at);
    const judged = view.judged;
    const choices = SELECTS.has(q.type) ? choicesFor(view.form, node, judged.scopes.at(at)) : undefined;
    const readOnly = isReadOnly(q, judged, at);
    const required = q.required === true || (typeof q.required === "string" && isRequired(q, judged, at));
    const hint = q.hint ? el("p", { class: "hint", id: `${id}-hint` }) : null;
    if (hint) hint.textContent = textOf(q.hint, at, hint);
    const error = el("p", { class: "error", id: `${id}-error`, role: "alert" });
    const describedBy = hint ? `${id}-hint ${id}-error` : `${id}-error`;
    const ctx = {
      q, node, at, id, value: getAnswer(view.answers, q.id, at), text: view.text, describedBy, readOnly, required,
      choices, view,
      set: (value) => { ctx.value = value; view.set(node, at, value); },
    };
    const [build] = ALL[q.type] || [() => el("p", {}, _("This question cannot be shown on this phone."))];
    const control = build(ctx);
    const labelText = el("span", { class: "label-text" });
    labelText.textContent = node.virtual ? _("Which other? Write it") : textOf(q.label, at, labelText);
    const title = [labelText, required && q.type !== "note" ? el("span", { class: "required" }, " ", _("(required)")) : null];
    const listen = q.media ? audioPrompt(q.media, view, labelText.textContent) : null;
    const pictures = q.media ? visualPrompt(q.media, view) : null;
    const classes = `question type-${q.type}${isConsent(q) ? " consent" : ""}${readOnly ? " read-only" : ""}`;
    let box;
    if (q.type === "note") {
      const text = el("p", { class: "note" }, labelText);
      box = el("div", { class: classes }, listen ? el("div", { class: "with-listen" }, text, listen) : text, pictures, hint);
    } else if (isGroup(q, choices)) {
      box = el("fieldset", { class: classes, "aria-describedby": describedBy },
        el("legend", {}, ...title), listen, pictures, hint, control, error);
    } else {
      box = el("div", { class: classes }, el("label", { for: id }, ...title), listen, pictures, hint, control, error);
    }
    box.dataset.question = q.id;
    box.dataset.key = path;
    const message = view.problems[path];
    if (message) showProblem(box, message);
    boxes.set(path, { node, at, box, deps: dependencies(q), readOnly });
    return box;
  }

  function group(node, at, depth) {
    const q = node.item;
    const parts = [];
    if (q.label) {
      const title = el(headingTag(depth), { class: "group-title" });
      title.textContent = textOf(q.label, at, title);
      parts.push(title);
    }
    const box = el("section", { class: "group" }, ...parts, ...items(node.children, at, depth + 1));
    box.dataset.key = key(node.id, at);
    sections.set(box.dataset.key, { node, at, box });
    return box;
  }

  function instanceTitle(node, at, index) {
    const label = node.item.label ? fillText(node.item.label, [...at, [node.id, index]], view) : "";
    return label ? `${label} ${index + 1}` : _("Item %(number)s", { number: index + 1 });
  }

  function repeat(node, at, depth) {
    const q = node.item;
    const counted = q.repeat_count !== undefined && q.repeat_count !== null && q.repeat_count !== "";
    const box0 = at.length ? container(view.judged.effective, at) : view.judged.effective;
    const count = box0 && Array.isArray(box0[node.id]) ? box0[node.id].length : 0;
    const readOnly = q.read_only === true;
    const label = q.label ? fillText(q.label, at, view) : "";
    const section = el("section", { class: "repeat" });
    if (label) section.append(el(headingTag(depth), { class: "repeat-title" }, label));
    for (let index = 0; index < count; index += 1) {
      const inner = [...at, [node.id, index]];
      const title = instanceTitle(node, at, index);
      const instance = el("fieldset", { class: "instance" }, el("legend", {}, title),
        ...items(node.children, inner, depth + 1));
      instance.dataset.instance = instancePath(inner);
      if (!counted && !readOnly) {
        instance.append(el("button", {
          type: "button", class: "secondary remove-instance",
          onclick: () => {
            if (confirm(_("Remove “%(item)s” and its answers?", { item: title }))) view.removeInstance(node, at, index);
          },
        }, _("Remove “%(item)s”", { item: title })));
      }
      section.append(instance);
    }
    if (!counted && !readOnly) {
      section.append(el("button", { type: "button", class: "secondary add-instance", onclick: () => view.addInstance(node, at) },
        label ? _("Add: %(item)s", { item: label }) : _("Add one more")));
    } else if (!count) {
      section.append(el("p", { class: "hint" }, _("Nothing to fill in here for the answers given so far.")));
    }
    section.dataset.key = key(node.id, at);
    sections.set(section.dataset.key, { node, at, box: section });
    repeats.push({ node, at, count });
    return section;
  }

  function items(nodes, at, depth) {
    const out = [];
    const relevant = view.judged.relevant;
    for (const node of nodes) {
      if (!node.shown) continue;
      const box = node.kind === "group" ? group(node, at, depth)
        : node.kind === "repeat" ? repeat(node, at, depth) : question(node, at);
      box.hidden = !relevant.has(key(node.id, at));
      out.push(box);
    }
    return out;
  }

  performance.mark("willay:render-start");
  const element = el("div", { class: "questions" }, ...items(view.form.pages[pageIndex].items, [], 0));
  performance.measure("willay:render", "willay:render-start");

  // After answers changed: returns true when the page must be built again (instances
  // came or went); `source` is the answer path being typed in (never rebuilt under the
  // user's fingers).
  function refresh(changed, source = null) {
    const judged = view.judged;
    for (const { node, at, count } of repeats) {
      const box = at.length ? container(judged.effective, at) : judged.effective;
      const now = box && Array.isArray(box[node.id]) ? box[node.id].length : 0;
      if (now !== count && judged.relevant.has(key(node.id, at))) return true;
    }
    for (const [path, entry] of sections) entry.box.hidden = !judged.relevant.has(path);
    for (const [path, entry] of boxes) {
      entry.box.hidden = !judged.relevant.has(path);
      if (path === source || !entry.deps || entry.box.hidden) continue;
      let stale = false;
      for (const id of entry.deps) if (changed.has(id)) { stale = true; break; }
      if (stale) rebuild(entry.node, entry.at);
    }
    for (const { target, source: text, at } of outputs) {
      if (!target.isConnected) continue;
      const shown = fillText(text, at, view);
      if (target.textContent !== shown) target.textContent = shown;
    }
    return false;
  }

  function rebuild(node, at) {
    const path = key(node.id, at);
    const entry = boxes.get(path);
    if (!entry || !entry.box.isConnected) return;
    const focused = document.activeElement && entry.box.contains(document.activeElement) ? document.activeElement.id : null;
    const fresh = question(node, at);
    fresh.hidden = entry.box.hidden;
    entry.box.replaceWith(fresh);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  return { element, refresh, rebuild, box: (path) => (boxes.get(path) || {}).box || null, boxes };
}

// What a survey definition says about a tree of answers: which pages, groups, repeats and
// questions are asked (relevance, in document order, each in the Scope of its instance),
// which answers are wrong (type, required, constraint), and the clean answers that are
// sent. Mirrors server/submissions/answers.py; no DOM here.
import { _, ngettext } from "../i18n.js";
import { allowedValues } from "./choices.js";
import { compileExpression, Scopes } from "./expr.js";
import {
  compile, container, copyTree, FILE_TYPES, forEachInstance, getAnswer, key, MAX_INSTANCES,
} from "./structure.js";

const HASH = /^[0-9a-f]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function unanswered(value) {
  return value === undefined || value === null || value === ""
    || (Array.isArray(value) && value.length === 0);
}

export function questions(definition) {
  return compile(definition).questions.map((node) => node.item);
}

const pad = (n, width = 2) => String(n).padStart(width, "0");

export function today(now = new Date()) {
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// ISO 8601 with the phone's offset: "2026-12-02T10:15:00-05:00"
export function localDateTime(now = new Date()) {
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${today(now)}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`
    + `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// A copy of the answers as expressions see them before relevance: unanswered values
// absent, instances copied (the answers themselves are never changed by judging).
function answeredCopy(value) {
  const out = {};
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (unanswered(v)) continue;
    if (Array.isArray(v) && v.length && typeof v[0] === "object" && v[0] !== null && !Array.isArray(v[0])) {
      out[k] = v.map((instance) => (instance && typeof instance === "object" ? answeredCopy(instance) : {}));
    } else {
      out[k] = v;
    }
  }
  return out;
}

function dropAll(nodes, box) {
  for (const node of nodes) {
    delete box[node.id];
    if (node.kind === "group") dropAll(node.children, box);
  }
}

export function repeatCount(node, scope) {
  const rule = compileExpression(String(node.item.repeat_count), { wrap: "number" });
  if (!rule) return 0;
  const n = Math.trunc(Number(rule.evaluate(scope)));
  return Number.isFinite(n) ? Math.max(0, Math.min(MAX_INSTANCES, n)) : 0;
}

// Judged answers: {relevant: Set of answer paths (questions, groups, repeats), pages:
// [bool], effective: the answers tree as expressions see it (unanswered and non-relevant
// answers absent, repeats cut to their count), scopes, counts: [{node, at, n}] for the
// repeats with a repeat_count}. Judged in document order like the server.
export function judge(definition, answers, options = {}) {
  const form = compile(definition);
  const day = options.today || today();
  const effective = answeredCopy(answers || {});
  const scopes = new Scopes(form, effective, options.labels || null);
  const relevant = new Set();
  const pages = [];
  const counts = [];
  const holds = (rule, at) => {
    const expression = compileExpression(rule);
    return !expression || expression.evaluateBool(scopes.at(at), { today: day, now: options.now });
  };

  const walk = (nodes, at, box) => {
    for (const node of nodes) {
      const asked = !node.item.relevance || holds(node.item.relevance, at);
      if (!asked) {
        delete box[node.id];
        if (node.kind === "group") dropAll(node.children, box);
        continue;
      }
      relevant.add(key(node.id, at));
      if (node.kind === "group") walk(node.children, at, box);
      else if (node.kind === "repeat") {
        let list = box[node.id];
        if (node.item.repeat_count !== undefined && node.item.repeat_count !== null && node.item.repeat_count !== "") {
          const n = repeatCount(node, scopes.at(at));
          counts.push({ node, at, n });
          if (Array.isArray(list) && list.length > n) list.length = n;
        }
        list = box[node.id];
        if (!Array.isArray(list) || !list.length) {
          delete box[node.id];
          continue;
        }
        list.forEach((instance, index) => walk(node.children, [...at, [node.id, index]], instance));
      }
    }
  };

  for (const { page, index, items } of form.pages) {
    const asked = !page.relevance || holds(page.relevance, []);
    pages[index] = asked;
    if (asked) walk(items, [], effective);
    else dropAll(items, effective);
  }
  return { form, relevant, pages, effective, scopes, counts, today: day, now: options.now };
}

// ---- checks ----

function bounds(low, high, value) {
  low = low ?? null;
  high = high ?? null;
  if (low !== null && high !== null && (value < low || value > high)) {
    return _("Enter a number from %(min)s to %(max)s.", { min: low, max: high });
  }
  if (low !== null && value < low) return _("Enter a number of at least %(min)s.", { min: low });
  if (high !== null && value > high) return _("Enter a number of at most %(max)s.", { max: high });
  return null;
}

export function rangeOf(q) {
  const p = q.parameters || {};
  const num = (v, fallback) => (Number.isFinite(Number(v)) && v !== "" && v !== null && v !== undefined ? Number(v) : fallback);
  return { start: num(p.start, 1), end: num(p.end, 10), step: Math.abs(num(p.step, 1)) || 1 };
}

function typeProblem(q, value, allowed) {
  switch (q.type) {
    case "text":
      if (typeof value !== "string") return _("Enter text.");
      return [...value].length > (q.max_length || 2000)
        ? ngettext("Too long: at most %(max)s character.", "Too long: at most %(max)s characters.", q.max_length || 2000, { max: q.max_length || 2000 }) : null;
    case "integer":
    case "rating":
      if (typeof value !== "number" || !Number.isInteger(value)) return _("Enter a whole number.");
      if (q.type === "rating" && (value < 1 || value > 5)) return _("Choose from 1 to 5 stars.");
      return bounds(q.min, q.max, value);
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) return _("Enter a number.");
      return bounds(q.min, q.max, value);
    case "range": {
      if (typeof value !== "number" || !Number.isFinite(value)) return _("Enter a number.");
      const { start, end, step } = rangeOf(q);
      const steps = (value - start) / step;
      return value < Math.min(start, end) || value > Math.max(start, end)
        || Math.abs(steps - Math.round(steps)) > 1e-9 * Math.max(1, Math.abs(steps))
        ? _("Choose a value from %(start)s to %(end)s in steps of %(step)s.", { start, end, step }) : null;
    }
    case "select_one":
      return typeof value === "string" && (!allowed || allowed.has(value)) ? null : _("Choose one of the options.");
    case "select_multiple":
      return Array.isArray(value) && value.every((v) => typeof v === "string" && (!allowed || allowed.has(v)))
        && new Set(value).size === value.length ? null : _("Choose among the options.");
    case "date":
      return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? null : _("Enter a date as YYYY-MM-DD.");
    case "time":
      return typeof value === "string" && TIME.test(value) ? null : _("Enter a time as HH:MM.");
    case "datetime":
      return typeof value === "string" && DATETIME.test(value) && !Number.isNaN(Date.parse(value))
        ? null : _("Enter a date and time with its UTC offset, such as 2026-12-02T10:15:00-05:00.");
    case "geopoint":
      return value && typeof value.lat === "number" && typeof value.lon === "number"
        ? null : _("Enter a location with latitude and longitude.");
    case "photo":
    case "audio":
    case "video":
    case "file":
      return typeof value === "string" && HASH.test(value) ? null : _("Attach the file again.");
    case "place":
      return typeof value === "string" && /^\d{6}$/.test(value) ? null : _("Choose a district.");
    case "barcode":
      return typeof value === "string" && value.length <= 2000
        ? null : ngettext("Enter the code as text (at most %(max)s character).", "Enter the code as text (at most %(max)s characters).", 2000, { max: 2000 });
    case "acknowledge":
      return value === "OK" ? null : _("Confirm with “OK”.");
    default:
      return null;
  }
}

function message(text, lang, fallback) {
  if (!text) return fallback;
  if (typeof text === "string") return text;
  return text[lang] || Object.values(text).find(Boolean) || fallback;
}

export function isRequired(q, judged, at) {
  if (q.required === true) return true;
  if (!q.required || typeof q.required !== "string") return false;
  const rule = compileExpression(q.required);
  return Boolean(rule) && rule.evaluateBool(judged.scopes.at(at), { today: judged.today, now: judged.now });
}

// The message to show under one question (in the instance `at`), or null. `lang` picks
// the survey's own messages.
export function problem(q, answers, judged, lang, at = []) {
  const node = judged.form.find(q.id);
  if (!node || !node.answered || !judged.relevant.has(key(q.id, at))) return null;
  const value = getAnswer(answers, q.id, at);
  if (unanswered(value)) {
    return isRequired(q, judged, at) ? message(q.required_message, lang, _("This question is required.")) : null;
  }
  const scope = judged.scopes.at(at);
  const allowed = q.type === "select_one" || q.type === "select_multiple" ? allowedValues(judged.form, node, scope) : null;
  const wrong = typeProblem(q, value, allowed);
  if (wrong) return wrong;
  if (q.constraint) {
    const rule = compileExpression(q.constraint);
    if (rule && !rule.evaluateBool(scope, { current: value, today: judged.today, now: judged.now })) {
      return message(q.constraint_message, lang, _("Not a valid answer."));
    }
  }
  return null;
}

// Every question instance of the given nodes that is relevant: fn(node, at).
export function eachAsked(nodes, judged, fn, at = []) {
  for (const node of nodes) {
    if (!judged.relevant.has(key(node.id, at))) continue;
    if (node.kind === "question") fn(node, at);
    else if (node.kind === "group") eachAsked(node.children, judged, fn, at);
    else {
      const box = at.length ? container(judged.effective, at) : judged.effective;
      const list = box && Array.isArray(box[node.id]) ? box[node.id] : [];
      list.forEach((_instance, index) => eachAsked(node.children, judged, fn, [...at, [node.id, index]]));
    }
  }
}

// {answerPath: message} for the questions of one page (or of all pages when page is null).
export function pageProblems(definition, page, answers, lang, judged = judge(definition, answers)) {
  const form = compile(definition);
  const found = {};
  const pages = page === null ? form.pages : [form.pages[page]];
  for (const { index, items } of pages) {
    if (!judged.pages[index]) continue;
    eachAsked(items, judged, (node, at) => {
      if (!node.shown) return;
      const text = problem(node.item, answers, judged, lang, at);
      if (text) found[key(node.id, at)] = text;
    });
  }
  return found;
}

// Whether a page has anything to show: a shown question, or a repeat the user can add to.
export function pageIsAsked(definition, page, judged) {
  const form = compile(definition);
  if (!judged.pages[page]) return false;
  const shows = (nodes, at) => nodes.some((node) => {
    if (!judged.relevant.has(key(node.id, at))) return false;
    if (node.kind === "question") return node.shown;
    if (node.kind === "group") return shows(node.children, at);
    if (node.item.repeat_count === undefined || node.item.repeat_count === "") return true;
    const box = at.length ? container(judged.effective, at) : judged.effective;
    const list = box && Array.isArray(box[node.id]) ? box[node.id] : [];
    return list.some((_i, index) => shows(node.children, [...at, [node.id, index]]));
  });
  return shows(form.pages[page].items, []);
}

// What is sent: only relevant, answered questions (a skipped branch leaves nothing
// behind, and personal answers never travel without consent), repeats as lists of
// instances (an empty instance stays {}), with the files they name.
export function cleanAnswers(definition, answers, judged = judge(definition, answers)) {
  const form = compile(definition);
  const attachments = [];
  const build = (nodes, source, into) => {
    for (const node of nodes) {
      if (node.kind === "group") {
        build(node.children, source, into);
        continue;
      }
      const value = source[node.id];
      if (value === undefined) continue;
      if (node.kind === "repeat") {
        if (!Array.isArray(value) || !value.length) continue;
        into[node.id] = value.map((instance) => {
          const out = {};
          build(node.children, instance, out);
          return out;
        });
        continue;
      }
      if (!node.answered || unanswered(value)) continue;
      into[node.id] = copyTree(value);
      if (FILE_TYPES.has(node.type) && typeof value === "string" && !attachments.includes(value)) attachments.push(value);
    }
  };
  const clean = {};
  for (const { items } of form.pages) build(items, judged.effective, clean);
  return { answers: clean, attachments };
}

// Interview metadata the answers imply: consent (the survey's "consent" question),
// district (its first place answer) and location (its first geopoint answer), top level.
export function impliedMeta(definition, clean) {
  const meta = {};
  for (const node of compile(definition).questions) {
    if (node.repeats.length) continue;
    const q = node.item;
    const value = clean[q.id];
    if (value === undefined) continue;
    if (isConsent(q) && meta.consent === undefined) meta.consent = value === "yes" || value === true;
    if (q.type === "place" && !meta.district) meta.district = value;
    if (q.type === "geopoint" && !meta.location) meta.location = value;
  }
  return meta;
}

export function isConsent(q) {
  return q.id === "consent" || /\bconsent\b/.test(q.appearance || "");
}

// The readable name of an interview (instance_name), or undefined.
export function instanceName(definition, judged) {
  const rule = compileExpression(definition.instance_name, { wrap: "string" });
  if (!rule) return undefined;
  const name = String(rule.evaluate(judged.scopes.at([]), { today: judged.today, now: judged.now }) ?? "").trim();
  return name ? name.slice(0, 200) : undefined;
}

export { forEachInstance };

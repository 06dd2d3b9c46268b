// What a survey definition says about a set of answers: which questions are asked
// (relevance), which answers are wrong (type, required, constraint), and the clean
// answers that are sent. Mirrors server/submissions/answers.py; no DOM here.
import { parse } from "../expressions.js";
import { _ } from "../i18n.js";

const HASH = /^[0-9a-f]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const parsed = new Map();

function expression(text) {
  if (!parsed.has(text)) {
    try {
      parsed.set(text, parse(text));
    } catch {
      parsed.set(text, null); // the server refuses such surveys; never block an interview on it
    }
  }
  return parsed.get(text);
}

export function unanswered(value) {
  return value === undefined || value === null || value === ""
    || (Array.isArray(value) && value.length === 0);
}

export function questions(definition) {
  return definition.pages.flatMap((page) => page.questions);
}

export function today(now = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// Answers as expressions see them: unanswered and not-relevant questions are absent.
// Returns {relevant: Set of ids, effective: {id: value}}; judged in survey order like the server.
export function judge(definition, answers, day = today()) {
  const effective = {};
  for (const [key, value] of Object.entries(answers)) {
    if (!unanswered(value)) effective[key] = value;
  }
  const relevant = new Set();
  for (const q of questions(definition)) {
    const rule = q.relevance ? expression(q.relevance) : null;
    if (!rule || rule.evaluateBool(effective, { today: day })) relevant.add(q.id);
    else delete effective[q.id];
  }
  return { relevant, effective };
}

function bounds(q, value) {
  const low = q.min ?? null;
  const high = q.max ?? null;
  if (low !== null && high !== null && (value < low || value > high)) {
    return _("Enter a number from %(min)s to %(max)s.", { min: low, max: high });
  }
  if (low !== null && value < low) return _("Enter a number of at least %(min)s.", { min: low });
  if (high !== null && value > high) return _("Enter a number of at most %(max)s.", { max: high });
  return null;
}

function typeProblem(q, value) {
  switch (q.type) {
    case "text":
      if (typeof value !== "string") return _("Enter text.");
      return [...value].length > (q.max_length || 2000)
        ? _("Too long: at most %(max)s characters.", { max: q.max_length || 2000 }) : null;
    case "integer":
    case "rating":
      if (typeof value !== "number" || !Number.isInteger(value)) return _("Enter a whole number.");
      if (q.type === "rating" && (value < 1 || value > 5)) return _("Choose from 1 to 5 stars.");
      return bounds(q, value);
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) return _("Enter a number.");
      return bounds(q, value);
    case "select_one":
      return (q.choices || []).some((c) => c.value === value) ? null : _("Choose one of the options.");
    case "select_multiple":
      return Array.isArray(value) && value.every((v) => (q.choices || []).some((c) => c.value === v))
        ? null : _("Choose among the options.");
    case "date":
      return typeof value === "string" && DATE.test(value) && !Number.isNaN(Date.parse(value))
        ? null : _("Enter a date as YYYY-MM-DD.");
    case "geopoint":
      return value && typeof value.lat === "number" && typeof value.lon === "number"
        ? null : _("Enter a location with latitude and longitude.");
    case "photo":
    case "audio":
      return typeof value === "string" && HASH.test(value) ? null : _("Attach the file again.");
    case "place":
      return typeof value === "string" && /^\d{6}$/.test(value) ? null : _("Choose a district.");
    default:
      return null;
  }
}

// The message to show under one question, or null. `lang` picks the survey's own
// constraint message ("es"/"qu").
export function problem(q, answers, judged, lang, day = today()) {
  if (!judged.relevant.has(q.id) || q.type === "note") return null;
  const value = answers[q.id];
  if (unanswered(value)) return q.required ? _("This question is required.") : null;
  const wrong = typeProblem(q, value);
  if (wrong) return wrong;
  if (q.constraint) {
    const rule = expression(q.constraint);
    if (rule && !rule.evaluateBool(judged.effective, { current: value, today: day })) {
      const message = q.constraint_message || {};
      return message[lang] || Object.values(message)[0] || _("Not a valid answer.");
    }
  }
  return null;
}

// {questionId: message} for the questions of one page (or all pages when page is null).
export function pageProblems(definition, page, answers, lang, day = today()) {
  const judged = judge(definition, answers, day);
  const list = page === null ? questions(definition) : definition.pages[page].questions;
  const found = {};
  for (const q of list) {
    const message = problem(q, answers, judged, lang, day);
    if (message) found[q.id] = message;
  }
  return found;
}

export function pageIsAsked(definition, page, relevant) {
  return definition.pages[page].questions.some((q) => relevant.has(q.id));
}

// What is sent: only relevant, answered questions (a skipped branch leaves nothing behind,
// and personal answers never travel without consent), with the files they name.
export function cleanAnswers(definition, answers, day = today()) {
  const { relevant } = judge(definition, answers, day);
  const clean = {};
  const attachments = [];
  for (const q of questions(definition)) {
    const value = answers[q.id];
    if (q.type === "note" || !relevant.has(q.id) || unanswered(value)) continue;
    clean[q.id] = value;
    if ((q.type === "photo" || q.type === "audio") && !attachments.includes(value)) attachments.push(value);
  }
  return { answers: clean, attachments };
}

// Interview metadata the answers imply: consent (the survey's "consent" question),
// district (its first place answer) and location (its first geopoint answer).
export function impliedMeta(definition, clean) {
  const meta = {};
  for (const q of questions(definition)) {
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

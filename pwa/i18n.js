// UI strings come from the server, built from the same gettext catalogs as its own
// (GET /api/v1/i18n/<locale>). Messages use python-format placeholders: %(name)s.
// Messages with a count come as a list of forms, chosen by the catalog's own Plural-Forms.
import { takeEarly } from "./early.js";

const LANG_KEY = "willay.lang";
let messages = {};
let plurals = {};
let pluralIndex = (n) => (n === 1 ? 0 : 1);
let current = "es_PE";

// A .po file's plural expression (C syntax: n, integers, ! * / % + - < > <= >= == != && || ?:
// and parentheses), compiled into a function without eval, which the app's CSP forbids.
const LEVELS = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];
const OPS = {
  "||": (a, b) => +(a || b), "&&": (a, b) => +(a && b), "==": (a, b) => +(a === b),
  "!=": (a, b) => +(a !== b), "<": (a, b) => +(a < b), ">": (a, b) => +(a > b),
  "<=": (a, b) => +(a <= b), ">=": (a, b) => +(a >= b), "+": (a, b) => a + b,
  "-": (a, b) => a - b, "*": (a, b) => a * b, "/": (a, b) => Math.trunc(a / b), "%": (a, b) => a % b,
};

export function compilePlural(expression) {
  const tokens = String(expression).match(/n|\d+|&&|\|\||[<>!=]=|[-+*/%<>!?:()]/g) || ["0"];
  let at = 0;
  const unary = () => {
    const token = tokens[at++];
    if (token === "(") { const inner = ternary(); at += 1; return inner; }
    if (token === "!") { const inner = unary(); return (n) => +!inner(n); }
    if (token === "n") return (n) => n;
    const value = Number(token) || 0;
    return () => value;
  };
  const binary = (level) => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    while (LEVELS[level].includes(tokens[at])) {
      const op = OPS[tokens[at++]], l = left, r = binary(level + 1);
      left = (n) => op(l(n), r(n));
    }
    return left;
  };
  const ternary = () => {
    const test = binary(0);
    if (tokens[at] !== "?") return test;
    at += 1;
    const yes = ternary();
    at += 1; // ":"
    const no = ternary();
    return (n) => (test(n) ? yes(n) : no(n));
  };
  const rule = ternary();
  return (n) => Number(rule(Math.abs(Math.trunc(Number(n) || 0)))) || 0;
}

function pluralRule(header) {
  const found = /plural=([^;]*)/.exec(header || "");
  return compilePlural(found ? found[1] : "n != 1");
}

function use(loaded) {
  // a copy kept before plurals existed is the bare {msgid: text} map
  const full = loaded && typeof loaded.messages === "object" ? loaded : { messages: loaded || {} };
  messages = full.messages;
  plurals = full.plurals || {};
  pluralIndex = pluralRule(full.plural_forms);
}

export function chosenLanguage() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved) return saved;
  return (navigator.language || "").toLowerCase().startsWith("qu") ? "qu" : "es_PE";
}

async function fetchMessages(locale) {
  // the page asked for the first language's strings already (pwa/boot.js)
  const response = (await takeEarly("strings", locale)) || (await fetch(`/api/v1/i18n/${locale}`));
  if (!response.ok) throw new Error(`strings for ${locale}: ${response.status}`);
  const { messages: texts, plurals: counted = {}, plural_forms: rule = "" } = await response.json();
  const loaded = { messages: texts, plurals: counted, plural_forms: rule };
  localStorage.setItem(`${LANG_KEY}.${locale}`, JSON.stringify(loaded));
  return loaded;
}

// Offline, the copy kept from the last load is used (the service worker caches it too).
export async function loadLanguage(locale) {
  try {
    use(await fetchMessages(locale));
  } catch (error) {
    const kept = localStorage.getItem(`${LANG_KEY}.${locale}`);
    if (!kept) throw error;
    use(JSON.parse(kept));
  }
  current = locale;
  localStorage.setItem(LANG_KEY, locale);
  document.documentElement.lang = locale === "qu" ? "qu" : "es-PE";
}

export function language() {
  return current;
}

// Content language of surveys ("es" or "qu") for the chosen interface language.
export function contentLanguage() {
  return current === "qu" ? "qu" : "es";
}

function fill(text, params) {
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in params ? String(params[name]) : match));
}

export function _(msgid, params = {}) {
  return fill(messages[msgid] || msgid, params);
}

// A message with a count: ngettext("%(count)s interview", "%(count)s interviews", n, {count: n}).
// Spanish has two forms, Quechua one (the catalogs' Plural-Forms say so); the English source
// picks between its two when a language has no translation.
export function ngettext(singular, plural, count, params = {}) {
  const forms = plurals[singular];
  const text = forms && forms.length
    ? forms[Math.min(pluralIndex(count), forms.length - 1)] || (count === 1 ? singular : plural)
    : (count === 1 ? singular : plural);
  return fill(text, { count, ...params });
}

// Keep both catalogs on the phone so the language can be switched without signal.
export function prefetchLanguages(locales = ["es_PE", "qu"]) {
  return Promise.all(locales.filter((l) => l !== current).map((l) => fetchMessages(l).catch(() => null)));
}

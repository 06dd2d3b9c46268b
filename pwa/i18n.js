// UI strings come from the server, built from the same gettext catalogs as its own
// (GET /api/v1/i18n/<locale>). Messages use python-format placeholders: %(name)s.

const LANG_KEY = "willay.lang";
let messages = {};
let current = "es_PE";

export function chosenLanguage() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved) return saved;
  return (navigator.language || "").toLowerCase().startsWith("qu") ? "qu" : "es_PE";
}

async function fetchMessages(locale) {
  const response = await fetch(`/api/v1/i18n/${locale}`);
  if (!response.ok) throw new Error(`strings for ${locale}: ${response.status}`);
  const loaded = (await response.json()).messages;
  localStorage.setItem(`${LANG_KEY}.${locale}`, JSON.stringify(loaded));
  return loaded;
}

// Offline, the copy kept from the last load is used (the service worker caches it too).
export async function loadLanguage(locale) {
  try {
    messages = await fetchMessages(locale);
  } catch (error) {
    const kept = localStorage.getItem(`${LANG_KEY}.${locale}`);
    if (!kept) throw error;
    messages = JSON.parse(kept);
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

export function _(msgid, params = {}) {
  const text = messages[msgid] || msgid;
  return text.replace(/%\((\w+)\)s/g, (match, name) => (name in params ? String(params[name]) : match));
}

// Keep both catalogs on the phone so the language can be switched without signal.
export function prefetchLanguages(locales = ["es_PE", "qu"]) {
  return Promise.all(locales.filter((l) => l !== current).map((l) => fetchMessages(l).catch(() => null)));
}

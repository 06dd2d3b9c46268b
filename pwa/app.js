// Willay app shell: choose a language, pair this phone, list its surveys, look up a receipt.
// The interview screens, drafts and the offline outbox come with the PWA work.
import { _, chosenLanguage, contentLanguage, language, loadLanguage } from "./i18n.js";

const TOKEN_KEY = "willay.token";
const root = document.getElementById("app");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

async function api(path, options = {}) {
  const headers = { "Accept-Language": language().replace("_", "-"), ...(options.headers || {}) };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`/api/v1${path}`, { ...options, headers });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ? body.error.message : _("The server could not be reached. Try again later."));
  return body;
}

function languageSwitch() {
  const button = (locale, label) => el("button", {
    "aria-pressed": String(language() === locale),
    onclick: async () => { await loadLanguage(locale); render(); },
  }, label);
  return el("p", { class: "lang" }, button("es_PE", "Español"), " ", button("qu", "Runasimi"));
}

async function pairFromLink(code) {
  history.replaceState(null, "", location.pathname);
  const body = await api("/devices/pair", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code }),
  });
  localStorage.setItem(TOKEN_KEY, body.token);
}

function publicLink() {
  const match = location.hash.match(/^#\/f\/([\w-]+)$/);
  return match ? match[1] : null;
}

async function surveysSection() {
  const link = publicLink();
  if (link) {
    const { surveys } = await api("/surveys", { headers: { "X-Willay-Link": link } });
    return el("section", {}, ...surveys.map((s) => el("h2", {}, s.title[contentLanguage()] || s.title.es)));
  }
  if (!localStorage.getItem(TOKEN_KEY)) {
    return el("p", { class: "status" }, _("This phone is not paired yet. Scan the QR code your coordinator gives you."));
  }
  const { surveys } = await api("/surveys");
  const lang = contentLanguage();
  return el("section", {},
    el("p", { class: "status" }, _("This phone is paired.")),
    el("h2", {}, _("Surveys")),
    el("ul", {}, ...surveys.map((s) => el("li", {}, s.title[lang] || s.title.es,
      " ", el("small", {}, _("version %(number)s", { number: s.version }))))));
}

function receiptSection() {
  const input = el("input", { id: "receipt", autocomplete: "off", placeholder: "K7M4-QX9P" });
  const out = el("div", { "aria-live": "polite" });
  const lookUp = async (event) => {
    event.preventDefault();
    out.replaceChildren();
    try {
      const r = await api(`/receipts/${encodeURIComponent(input.value.trim())}`);
      out.append(el("p", { class: "status" }, `${r.survey_title}: ${r.status_label}`));
      if (r.response) out.append(el("p", { class: "status" }, _("Answer: %(text)s", { text: r.response.text })));
    } catch (error) {
      out.append(el("p", { class: "status error" }, error.message));
    }
  };
  return el("form", { onsubmit: lookUp },
    el("h2", {}, _("Check your receipt")),
    el("label", { for: "receipt" }, _("Receipt code")), " ", input, " ",
    el("button", { type: "submit" }, _("Check")), out);
}

async function render() {
  const parts = [el("h1", {}, "Willay"), languageSwitch()];
  try {
    parts.push(await surveysSection());
  } catch (error) {
    parts.push(el("p", { class: "status error" }, error.message));
  }
  parts.push(receiptSection());
  root.replaceChildren(...parts);
}

async function followLink() {
  const pair = new URLSearchParams(location.hash.slice(1)).get("pair");
  if (pair) {
    try {
      await pairFromLink(pair);
    } catch (error) {
      root.replaceChildren(el("p", { class: "status error" }, error.message));
      return;
    }
  }
  await render();
}

async function start() {
  await loadLanguage(chosenLanguage());
  await followLink();
}

// a QR link opened while the app is already showing only changes the fragment
window.addEventListener("hashchange", followLink);
start();

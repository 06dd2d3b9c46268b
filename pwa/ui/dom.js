// Small DOM helpers shared by the screens: element builder, dates, sizes, messages.

// el("button", {class: "big", onclick: fn, disabled: true}, "text", childNode)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "value" || key === "checked") node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

// Browsers often lack Quechua formats and fall back to US ones (11/23/2026); CLDR's qu uses
// the Peruvian Spanish patterns anyway (glossary §8), so both languages format as es-PE.
const LOCALE = "es-PE";

// dd/MM/yyyy h:mm (glossary §8: numeric dates, four-digit years)
export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const parts = new Intl.DateTimeFormat(LOCALE, {
    day: "2-digit", month: "2-digit", year: "numeric", hour: "numeric", minute: "2-digit",
  }).formatToParts(date);
  // "2:27 p. m." never breaks inside the time: a narrow column would leave "m." alone
  let seenHour = false;
  return parts.map(({ type, value }) => {
    if (type === "hour") seenHour = true;
    return seenHour ? value.replace(/\s/g, "\u00a0") : value;
  }).join("");
}

export function formatBytes(bytes) {
  const mb = (bytes || 0) / (1024 * 1024);
  return `${new Intl.NumberFormat(LOCALE, { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb)} MB`;
}

export function notice(text, kind = "info") {
  return el("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}

// Survey texts are {es, qu}: the content language first, then the survey's default.
export function pick(text, lang, fallback = "es") {
  if (!text) return "";
  if (typeof text === "string") return text;
  return text[lang] || text[fallback] || Object.values(text)[0] || "";
}

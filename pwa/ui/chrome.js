// The bar on every screen: name, signal, language switch, and the "update ready" notice.
import { setSetting } from "../db.js";
import { _, language, loadLanguage } from "../i18n.js";
import { applyUpdate, updateReady } from "../update.js";
import { el } from "./dom.js";

// Endonyms: each language is offered in its own name, whatever the current language.
const LANGUAGES = [["es_PE", "Español"], ["qu", "Runasimi"]];

export async function switchLanguage(locale) {
  await loadLanguage(locale);
  await setSetting("language", locale);
}

export function topBar(onLanguage) {
  const buttons = LANGUAGES.map(([locale, name]) => el("button", {
    type: "button", lang: locale === "qu" ? "qu" : "es", class: "lang-button",
    "aria-pressed": String(language() === locale),
    onclick: async () => {
      if (language() === locale) return;
      try {
        await switchLanguage(locale);
      } catch {
        return; // the catalog is not on this phone yet: stay in the current language
      }
      onLanguage();
    },
  }, name));
  const online = navigator.onLine;
  return el("header", { class: "top" },
    el("a", { href: "#/", class: "brand" }, "Willay"),
    el("span", { class: `signal ${online ? "on" : "off"}` }, online ? _("With signal") : _("No signal")),
    el("nav", { class: "lang", "aria-label": _("Language") }, ...buttons));
}

// Shown when a new version is installed and waiting; applied only outside an interview.
export function updateBanner(interviewOpen) {
  if (!updateReady()) return null;
  if (interviewOpen) applyUpdate(); // update.js holds it until the interview is closed
  return el("div", { class: "notice info update", role: "status" },
    el("p", {}, _("An update of the app is ready.")),
    interviewOpen
      ? el("p", {}, _("It will be installed when you leave this interview."))
      : el("button", { type: "button", class: "secondary", onclick: () => applyUpdate() }, _("Update now")));
}

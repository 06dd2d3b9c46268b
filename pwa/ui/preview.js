// The console's live preview of a survey version (#/preview/<code>/<n>?lang=<content>):
// the real interview, filled as on a phone, with nothing kept — no draft, no outbox, no
// upload. The definition (drafts included) comes from the console, with its session cookie;
// the phones' API never shows drafts.
import { createInterview } from "../form/interview.js";
import { _, language, loadLanguage } from "../i18n.js";
import { setInterviewOpen } from "../update.js";
import { el, notice } from "./dom.js";

export function previewParams(hash = location.hash) {
  const [path, query = ""] = hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").map(decodeURIComponent);
  return { code: parts[1] || "", version: parts[2] || "", lang: new URLSearchParams(query).get("lang") };
}

async function loadVersion(code, version) {
  const url = `/console/surveys/${encodeURIComponent(code)}/versions/${encodeURIComponent(version)}/preview.json`;
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  // signed out, the console answers with its sign-in page
  if (!response.ok || !(response.headers.get("Content-Type") || "").includes("json")) {
    const error = new Error(response.status === 404 ? "missing" : "signed-out");
    error.kind = error.message;
    throw error;
  }
  return response.json();
}

// What the server would receive: the answers of the finished interview.
function finishedView(main, item, again) {
  const answers = JSON.stringify((item && item.answers) || {}, null, 2);
  main.replaceChildren(
    el("h1", { tabindex: "-1" }, _("End of the preview")),
    notice(_("This is where the interview would be saved. Nothing was stored or sent.")),
    el("h2", {}, _("Answers as they would be sent")),
    el("pre", { class: "preview-answers", "data-answers": "", style: "white-space: pre-wrap; overflow-wrap: anywhere" }, answers),
    el("div", { class: "nav" }, el("button", { type: "button", class: "primary", onclick: again }, _("Fill it again"))));
  main.querySelector("h1").focus();
}

// Async: the interface language is switched before the app draws its frame.
export async function previewScreen(main) {
  const { code, version, lang } = previewParams();
  // the interface follows the content language where it can (es_PE or qu)
  const ui = lang === "qu" ? "qu" : lang === "es" ? "es_PE" : null;
  if (ui && ui !== language()) await loadLanguage(ui).catch(() => null);
  let interview = null;
  let record = null;
  let problem = null;
  setInterviewOpen(true); // an app update must not reload the frame mid-test

  function start() {
    interview = createInterview(
      { code: record.code, version: record.version, title: record.title, definition: record.definition, files_url: record.files_url },
      null,
      {
        preview: true, language: lang, channel: "device", link: null,
        onDraftCreated: () => {},
        onLeave: () => { start(); render(); },
        onFinished: (item) => finishedView(main, item, () => { start(); render(); }),
      });
  }

  const ready = (async () => {
    try {
      record = await loadVersion(code, version);
      start();
    } catch (error) {
      problem = error.kind === "missing" ? _("This survey version does not exist.")
        : _("Sign in to the console to preview this survey.");
    }
  })();

  async function render() {
    await ready;
    if (problem) {
      main.replaceChildren(notice(problem, "error"));
      return;
    }
    const banner = el("p", { class: "notice info preview-banner", role: "status" },
      _("Preview: nothing you enter is saved or sent."));
    const body = el("div", { class: "preview-body" });
    main.replaceChildren(banner, body);
    interview.render(body);
  }

  return {
    render,
    interviewOpen: true,
    flush: () => null,
    leave() { setInterviewOpen(false); },
  };
}

// Route glue for an interview: finds the survey (and draft), opens the form, tells the
// update logic that an interview is open, and decides where to go when it is finished.
import { getDraft, getSurvey, latestSurveys } from "../db.js";
import { createInterview } from "../form/interview.js";
import { _ } from "../i18n.js";
import { fetchSurveyVersion } from "../sync.js";
import { setInterviewOpen } from "../update.js";
import { el, notice } from "./dom.js";
import { linkSurvey } from "./resident.js";

async function surveyFor(code, version, link) {
  if (!code && link) { // the resident's form: the newest version cached for this link
    const cachedForLink = (await latestSurveys()).find((s) => s.link === link);
    return cachedForLink || (await linkSurvey(link)).survey;
  }
  const cached = await getSurvey(code, version);
  if (cached) return cached;
  try {
    return await fetchSurveyVersion(code, version, { link });
  } catch {
    return null;
  }
}

function finishedScreen(main, again) {
  main.replaceChildren(
    el("h1", { tabindex: "-1" }, _("Interview saved")),
    notice(_("Your answer was saved on this phone.")),
    el("p", {}, _("It will be sent when there is signal.")),
    el("div", { class: "nav" },
      el("a", { class: "button primary", href: again }, _("New interview")),
      el("a", { class: "button secondary", href: "#/" }, _("Back to the start"))));
  main.querySelector("h1").focus();
}

// params: {code, version} for a new interview or {uuid} for a draft; link for residents.
let screens = 0; // the interview screen opened last (a later one keeps the update waiting)

export function interviewScreen(main, params) {
  const screen = ++screens;
  let interview = null;
  let missing = null; // the reason the interview cannot be shown
  const channel = params.link ? "public" : "device";
  const base = params.link ? `#/f/${params.link}` : "#";
  // at once, before anything async: an update already waiting must not reload this screen
  setInterviewOpen(true);

  const ready = (async () => {
    const draft = params.uuid ? await getDraft(params.uuid) : null;
    if (params.uuid && !draft) {
      missing = _("This interview is no longer on this phone: it was finished or deleted.");
      setInterviewOpen(false);
      return;
    }
    const code = draft ? draft.survey : params.code;
    const survey = await surveyFor(code, draft ? draft.version : Number(params.version), params.link || null);
    if (!survey) {
      missing = _("This survey is not on this phone yet. Open the app with signal.");
      setInterviewOpen(false);
      return;
    }
    const version = survey.version;
    interview = createInterview(survey, draft, {
      channel, link: params.link || null,
      onDraftCreated: (uuid) => history.replaceState(null, "", `${base}/i/${uuid}`),
      onLeave: () => { location.hash = params.link ? `#/f/${params.link}` : "#/"; },
      onFinished: (item) => {
        setInterviewOpen(false);
        if (params.link) location.hash = `#/f/${params.link}/done/${item.uuid}`;
        else {
          history.replaceState(null, "", "#/done");
          finishedScreen(main, `#/new/${encodeURIComponent(code)}/${version}`);
        }
      },
    });
  })();

  async function render() {
    await ready;
    if (missing) {
      main.replaceChildren(notice(missing, "error"),
        el("a", { class: "button secondary", href: params.link ? `#/f/${params.link}` : "#/" }, _("Back to the start")));
      return;
    }
    const focused = document.activeElement && document.activeElement.id;
    interview.render(main);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  // the last keystrokes are written at once when the app goes to the background
  const flush = () => { if (interview) interview.flush(true); };
  const onVisibility = () => { if (document.visibilityState === "hidden" && interview) interview.flush(); };
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", onVisibility);

  return {
    render,
    flush: () => (interview ? interview.flush() : null),
    interviewOpen: true,
    leave() {
      window.removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", onVisibility);
      // the draft is written before an app update may reload the page
      const saved = interview ? interview.flush() : null; // there is time here for the "still there?" check
      Promise.resolve(saved).finally(() => { if (screen === screens) setInterviewOpen(false); });
    },
  };
}

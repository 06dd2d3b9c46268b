// Route glue for an interview: finds the survey (and draft) — a draft always opens the
// version it was started on, even when a newer one has been downloaded since — opens the
// form, tells the update logic that an interview is open, and decides where to go when it
// is finished. Once finished this screen is the "Interview saved" screen (saved.js), also
// when the language is switched there.
import { getDraft, getSurvey, latestSurveys } from "../db.js";
import { createInterview } from "../form/interview.js";
import { _ } from "../i18n.js";
import { fetchSurveyVersion } from "../sync.js";
import { setInterviewOpen } from "../update.js";
import { el, notice } from "./dom.js";

// not needed for the first question: loaded when the interview opens (resident.js only for
// a resident's link), so a first visit on a slow link gets to the form sooner
const savedModule = () => import("./saved.js");

async function surveyFor(code, version, link) {
  if (!code && link) { // the resident's form: the newest version cached for this link
    const cachedForLink = (await latestSurveys()).find((s) => s.link === link);
    return cachedForLink || (await (await import("./resident.js")).linkSurvey(link)).survey;
  }
  const cached = await getSurvey(code, version);
  if (cached) return cached;
  try {
    return await fetchSurveyVersion(code, version, { link });
  } catch {
    return null;
  }
}

// params: {code, version} for a new interview or {uuid} for a draft; link for residents.
let screens = 0; // the interview screen opened last (a later one keeps the update waiting)

export function interviewScreen(main, params) {
  const screen = ++screens;
  let interview = null;
  let missing = null; // the reason the interview cannot be shown
  let saved = null; // the "Interview saved" screen, once finished
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
    const saving = savedModule();
    interview = createInterview(survey, draft, {
      channel, link: params.link || null,
      onDraftCreated: (uuid) => history.replaceState(null, "", `${base}/i/${uuid}`),
      onLeave: () => { location.hash = params.link ? `#/f/${params.link}` : "#/"; },
      onFinished: (item) => {
        if (params.link) {
          setInterviewOpen(false);
          location.hash = `#/f/${params.link}/done/${item.uuid}`;
          return;
        }
        // from now on this screen is the saved screen: a language switch redraws that,
        // and the interview counts as closed for the update flow
        history.replaceState(null, "", "#/done");
        saving.then(({ savedScreen }) => {
          saved = savedScreen(main, { uuid: item.uuid, code });
          setInterviewOpen(false);
          saved.render();
        });
      },
    });
  })();

  async function render() {
    await ready;
    if (saved) return saved.render();
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
    get interviewOpen() { return !saved && !missing; },
    leave() {
      if (saved) saved.leave();
      window.removeEventListener("pagehide", flush);
      document.removeEventListener("visibilitychange", onVisibility);
      // the draft is written before an app update may reload the page
      const written = interview ? interview.flush() : null; // there is time here for the "still there?" check
      Promise.resolve(written).finally(() => { if (screen === screens) setInterviewOpen(false); });
    },
  };
}

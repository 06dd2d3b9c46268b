// One interview: pages shown one at a time, every answer autosaved to the draft (whose UUID
// is made at the first answer), checks before moving on, and the move to the outbox.
import { finalize, getDraft, saveDraft } from "../db.js";
import { _, contentLanguage } from "../i18n.js";
import { el, pick } from "../ui/dom.js";
import { locationControl } from "./geo.js";
import { cleanAnswers, impliedMeta, judge, pageIsAsked, pageProblems, problem, questions } from "./logic.js";
import { renderPage, showProblem } from "./render.js";

const SAVE_DELAY = 300;

// survey: cached record {code, version, title, definition}; draft: existing draft or null.
// options: {channel: "device"|"public", link, onDraftCreated(uuid), onFinished(item), onLeave()}
export function createInterview(survey, draft, options) {
  const definition = survey.definition;
  const state = {
    draft: draft ? { ...draft } : null,
    answers: draft ? { ...draft.answers } : {},
    page: draft ? Math.min(draft.page || 0, definition.pages.length) : 0,
    problems: draft && draft.rejected ? flatten(draft.rejected) : {},
    location: draft && draft.meta ? draft.meta.location : undefined,
    finishing: false,
    stored: Boolean(draft), // the draft exists in IndexedDB
    gone: false, // finished or deleted elsewhere (another tab): never bring it back
  };
  let root = null;
  let timer = null;
  let saving = Promise.resolve();
  let statusLine = null;

  const lang = () => (definition.languages.includes(contentLanguage())
    ? contentLanguage() : definition.default_language || definition.languages[0]);
  const text = (obj) => pick(obj, lang(), definition.default_language || "es");
  const lastPage = definition.pages.length; // index of the "check and finish" step

  function snapshot() {
    return {
      ...state.draft, answers: { ...state.answers }, page: state.page,
      meta: { ...state.draft.meta, language: lang(), location: state.location },
    };
  }

  // quick: leaving the page (pagehide) leaves no time for the extra "still there?" read
  function save(quick = false) {
    clearTimeout(timer);
    timer = null;
    if (!state.draft) return saving;
    const record = snapshot();
    saving = saving.then(async () => {
      if (state.gone) return;
      if (!quick && state.stored && !(await getDraft(record.uuid))) {
        state.gone = true;
        if (statusLine) statusLine.textContent = _("This interview was finished or deleted in another window.");
        return;
      }
      const saved = await saveDraft(record);
      state.stored = true;
      if (saved && saved.rev) state.draft.rev = saved.rev;
      if (statusLine) statusLine.textContent = _("Saved on this phone.");
    }).catch(() => {
      if (statusLine) statusLine.textContent = _("Could not save on this phone. Free some space.");
    });
    return saving;
  }

  function scheduleSave() {
    if (!state.draft) {
      state.draft = {
        uuid: crypto.randomUUID(), survey: survey.code, version: survey.version, title: survey.title,
        channel: options.channel, link: options.link || null, answers: {}, attachments: [],
        meta: { language: lang(), started_at: new Date().toISOString() }, page: state.page, rev: 0,
      };
      if (options.onDraftCreated) options.onDraftCreated(state.draft.uuid);
    }
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY);
  }

  function setAnswer(id, value) {
    if (value === undefined) delete state.answers[id];
    else state.answers[id] = value;
    scheduleSave();
    refreshPage(id);
  }

  // Show or hide questions whose relevance changed; re-check questions showing an error.
  function refreshPage(changedId) {
    if (!root || state.page >= lastPage) return;
    const judged = judge(definition, state.answers);
    for (const box of root.querySelectorAll("[data-question]")) {
      const id = box.dataset.question;
      box.hidden = !judged.relevant.has(id);
      if (state.problems[id] || id === changedId) {
        const q = definition.pages[state.page].questions.find((item) => item.id === id);
        const message = state.problems[id] ? problem(q, state.answers, judged, lang()) : null;
        if (message) state.problems[id] = message;
        else delete state.problems[id];
        showProblem(box, message);
      }
    }
  }

  function view() {
    return { answers: state.answers, text, problems: state.problems, set: setAnswer };
  }

  function nextAskedPage(from, step) {
    const { relevant } = judge(definition, state.answers);
    let page = from + step;
    while (page >= 0 && page < lastPage && !pageIsAsked(definition, page, relevant)) page += step;
    return page;
  }

  function go(page) {
    state.page = Math.max(0, Math.min(page, lastPage));
    if (state.draft) save();
    render();
    const heading = root.querySelector("h2");
    if (heading) heading.focus();
    window.scrollTo(0, 0);
  }

  function next() {
    const found = pageProblems(definition, state.page, state.answers, lang());
    for (const q of definition.pages[state.page].questions) delete state.problems[q.id];
    if (Object.keys(found).length) {
      Object.assign(state.problems, found);
      render();
      const first = root.querySelector(".invalid input, .invalid select, .invalid textarea, .invalid button");
      if (first) first.focus();
      return;
    }
    go(nextAskedPage(state.page, 1));
  }

  async function finish() {
    if (state.finishing) return;
    const found = pageProblems(definition, null, state.answers, lang());
    if (Object.keys(found).length) {
      state.problems = found;
      const firstBad = definition.pages.findIndex((page) => page.questions.some((q) => found[q.id]));
      go(firstBad);
      return;
    }
    if (!state.draft) scheduleSave(); // an interview with no answers at all still gets a UUID
    state.finishing = true;
    const { answers, attachments } = cleanAnswers(definition, state.answers);
    const implied = impliedMeta(definition, answers);
    const record = snapshot();
    record.answers = answers;
    record.attachments = attachments;
    record.meta = { ...record.meta, ...implied };
    if (!record.meta.location && state.location) record.meta.location = state.location;
    for (const key of Object.keys(record.meta)) if (record.meta[key] === undefined) delete record.meta[key];
    delete record.rejected;
    clearTimeout(timer);
    await saving;
    if (state.gone || (state.stored && !(await getDraft(record.uuid)))) {
      options.onFinished({ uuid: record.uuid }); // another window finished it: one interview, one item
      return;
    }
    let item;
    try {
      await saveDraft(record);
      item = await finalize(record.uuid, { completed_at: new Date().toISOString() });
    } catch {
      state.finishing = false;
      if (statusLine) statusLine.textContent = _("Could not save on this phone. Free some space.");
      return;
    }
    options.onFinished(item || record);
  }

  function flush(quick = false) {
    if (!timer) return saving; // nothing waiting to be written
    return save(quick);
  }

  function header() {
    const step = Math.min(state.page, lastPage) + 1;
    return el("div", { class: "interview-head" },
      el("p", { class: "survey-name" }, text(definition.title)),
      el("p", { class: "progress" }, _("Step %(step)s of %(total)s", { step, total: lastPage + 1 })),
      el("progress", { max: String(lastPage + 1), value: String(step), "aria-hidden": "true" }));
  }

  function rejectedBanner() {
    if (!state.draft || !state.draft.rejected) return null;
    const general = Object.entries(state.draft.rejected)
      .filter(([key]) => !definition.pages.some((p) => p.questions.some((q) => q.id === key)))
      .map(([, messages]) => [].concat(messages).join(" "));
    return el("div", { class: "notice error", role: "alert" },
      el("p", {}, _("The server did not accept this interview. Fix the answers marked below and finish it again.")),
      ...general.map((message) => el("p", {}, message)));
  }

  function finishStep() {
    const problems = pageProblems(definition, null, state.answers, lang());
    const hasGeopoint = questions(definition).some((q) => q.type === "geopoint");
    const parts = [el("h2", { tabindex: "-1" }, _("Check and finish"))];
    if (Object.keys(problems).length) {
      parts.push(el("p", { class: "notice error", role: "alert" }, _("Some answers are missing or wrong.")));
    } else {
      parts.push(el("p", {}, _("All the answers are saved on this phone.")));
    }
    if (options.channel === "device" && !hasGeopoint) {
      parts.push(el("fieldset", { class: "question" },
        el("legend", {}, _("Location of this interview (optional)")),
        locationControl({
          value: state.location, required: false, describedBy: null,
          set: (point) => { state.location = point; if (state.draft) scheduleSave(); },
        })));
    }
    parts.push(el("div", { class: "nav" },
      el("button", { type: "button", class: "secondary", onclick: () => go(nextAskedPage(lastPage, -1)) }, _("Back")),
      el("button", { type: "button", class: "primary", onclick: finish },
        options.channel === "public" ? _("Send") : _("Finish and save"))));
    return parts;
  }

  function render(target) {
    if (target) root = target;
    statusLine = el("p", { class: "saved", role: "status" }, state.draft ? _("Saved on this phone.") : "");
    const parts = [header(), rejectedBanner()];
    if (state.page >= lastPage) {
      parts.push(...finishStep());
    } else {
      const page = definition.pages[state.page];
      const { relevant } = judge(definition, state.answers);
      const first = nextAskedPage(-1, 1) === state.page;
      parts.push(
        el("h2", { tabindex: "-1" }, page.title ? text(page.title) : text(definition.title)),
        renderPage(page, view(), relevant),
        el("div", { class: "nav" },
          first ? el("button", { type: "button", class: "secondary", onclick: () => options.onLeave() }, _("Exit"))
            : el("button", { type: "button", class: "secondary", onclick: () => go(nextAskedPage(state.page, -1)) }, _("Back")),
          el("button", { type: "button", class: "primary", onclick: next }, _("Next"))));
    }
    parts.push(statusLine);
    root.replaceChildren(...parts.filter(Boolean));
  }

  return { render, flush, state };
}

function flatten(errors) {
  const out = {};
  for (const [key, messages] of Object.entries(errors || {})) out[key] = [].concat(messages).join(" ");
  return out;
}

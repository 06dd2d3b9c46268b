// One interview: pages shown one at a time, every answer autosaved to the draft (whose UUID
// is made at the first answer), calculations and relevance kept up to date as answers
// change, checks before moving on, a review of every answer, and the move to the outbox.
import { finalize, getDraft, getSetting, saveDraft, setSetting } from "../db.js";
import { _, contentLanguage } from "../i18n.js";
import { el, pick } from "../ui/dom.js";
import { applyDefaults, createEngine, finishMeta } from "./calc.js";
import { labelOfValue } from "./choices.js";
import { locationControl } from "./geo.js";
import { PLACE_WIDGETS } from "./place.js";
import { cleanAnswers, impliedMeta, instanceName, pageIsAsked, pageProblems, problem } from "./logic.js";
import { createPageView, showProblem } from "./render.js";
import { reviewList } from "./review.js";
import { compile, container, copyTree, key, parsePath, setAnswer } from "./structure.js";

const SAVE_DELAY = 300;

// Server error keys ("members[0].age") → the phone's answer paths; other keys stay general.
function problemsFrom(form, errors) {
  const found = {};
  const general = [];
  for (const [raw, messages] of Object.entries(errors || {})) {
    const text = [].concat(messages).join(" ");
    const parsed = parsePath(raw);
    if (parsed && parsed.index === undefined && form.find(parsed.id)) found[key(parsed.id, parsed.at)] = text;
    else general.push(text);
  }
  return { found, general };
}

// survey: cached record {code, version, title, definition, link}; draft: existing draft or null.
// options: {channel: "device"|"public", link, onDraftCreated(uuid), onFinished(item), onLeave(),
//   preview: nothing is stored (the console's live preview), language: content language}
export function createInterview(survey, draft, options) {
  const definition = survey.definition;
  const form = compile(definition);
  const rejected = problemsFrom(form, draft && draft.rejected);
  const state = {
    draft: draft ? { ...draft } : null,
    answers: draft ? copyTree(draft.answers || {}) : {},
    page: draft ? Math.min(draft.page || 0, definition.pages.length) : 0,
    problems: rejected.found,
    location: draft && draft.meta ? draft.meta.location : undefined,
    district: draft && draft.meta ? draft.meta.district : undefined, // when no place question names it
    fileNames: (draft && draft.fileNames) || {},
    judged: null,
    finishing: false,
    stored: Boolean(draft), // the draft exists in IndexedDB
    gone: false, // finished or deleted elsewhere (another tab): never bring it back
  };
  let root = null;
  let timer = null;
  let saving = Promise.resolve();
  let statusLine = null;
  let pageView = null;

  const defaultLanguage = definition.default_language || (definition.languages || ["es"])[0];
  const wanted = () => options.language || contentLanguage();
  const lang = () => ((definition.languages || []).includes(wanted()) ? wanted() : defaultLanguage);
  const text = (obj) => pick(obj, lang(), defaultLanguage);
  const lastPage = definition.pages.length; // index of the review step
  const meta = { now: new Date() };
  // every interview names its district (the server requires it): a survey without a top-level
  // place question asks for it on the review step, starting from the last one chosen
  const asksDistrict = !form.questions.some((n) => n.type === "place" && !n.repeats.length);
  if (asksDistrict && !state.district) {
    getSetting("lastDistrict").then((last) => { if (last && !state.district) state.district = last; }).catch(() => {});
  }

  const engine = createEngine(definition, state.answers, {
    meta, language: lang(),
    labels: (id, value) => {
      const node = form.find(id);
      return node ? labelOfValue(form, node, value, text) : null;
    },
  });
  if (!draft) applyDefaults(form, state.answers, [], meta);
  state.judged = engine.settle(new Set(), { initial: true, fresh: true }).judged;

  // who and which phone, for the deviceid / username metadata questions
  if (!draft && form.questions.some((n) => n.type === "meta")) {
    getSetting("device").then((device) => {
      if (!device || state.draft) return;
      meta.deviceid = device.id !== undefined ? `willay:${device.id}` : undefined;
      meta.username = device.promoter || undefined;
      applyDefaults(form, state.answers, [], meta);
    }).catch(() => {});
  }

  const view = {
    form, survey, defaultLanguage, text,
    get lang() { return lang(); },
    get judged() { return state.judged; },
    get answers() { return state.answers; },
    get problems() { return state.problems; },
    set: onAnswer,
    addInstance, removeInstance,
    rebuild: (node, at) => { if (pageView) pageView.rebuild(node, at); },
    fileName: (sha256) => state.fileNames[sha256],
    rememberFileName: (sha256, name) => { state.fileNames[sha256] = name; },
  };

  function snapshot() {
    const name = instanceName(definition, state.judged);
    return {
      ...state.draft, answers: copyTree(state.answers), page: state.page, fileNames: { ...state.fileNames },
      meta: {
        ...state.draft.meta, language: lang(), location: state.location, instance_name: name,
        district: asksDistrict ? state.district : state.draft.meta.district,
      },
    };
  }

  // quick: leaving the page (pagehide) leaves no time for the extra "still there?" read
  function save(quick = false) {
    clearTimeout(timer);
    timer = null;
    if (!state.draft || options.preview) return saving;
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
        meta: { language: lang(), started_at: meta.now.toISOString() }, page: state.page, rev: 0,
      };
      if (options.onDraftCreated) options.onDraftCreated(state.draft.uuid);
    }
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY);
  }

  // Recompute after a change; ids whose value or relevance changed.
  function settle(changedIds) {
    const before = state.judged.relevant;
    const result = engine.settle(new Set(changedIds));
    state.judged = result.judged;
    const changed = result.changed;
    const after = state.judged.relevant;
    for (const path of before) if (!after.has(path)) changed.add(parsePath(path).id);
    for (const path of after) if (!before.has(path)) changed.add(parsePath(path).id);
    return changed;
  }

  function onAnswer(node, at, value) {
    setAnswer(state.answers, node.id, at, value);
    scheduleSave();
    const changed = settle([node.id]);
    refreshPage(changed, key(node.id, at));
  }

  // Show or hide what relevance changed; re-check questions showing an error.
  function refreshPage(changed, source) {
    if (!root || state.page >= lastPage || !pageView) return;
    if (pageView.refresh(changed, source)) {
      renderKeepingFocus();
      return;
    }
    for (const [path, entry] of pageView.boxes) {
      if (!state.problems[path] && path !== source) continue;
      const message = state.problems[path] ? problem(entry.node.item, state.answers, state.judged, lang(), entry.at) : null;
      if (message) state.problems[path] = message;
      else delete state.problems[path];
      const box = pageView.box(path);
      if (box) showProblem(box, message);
    }
  }

  function renderKeepingFocus() {
    const active = document.activeElement;
    const id = active && active.id;
    const selection = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    const scroll = window.scrollY;
    render();
    window.scrollTo(0, scroll);
    const again = id && document.getElementById(id);
    if (again) {
      again.focus({ preventScroll: true });
      if (selection && typeof again.setSelectionRange === "function") {
        try { again.setSelectionRange(...selection); } catch { /* not a text field */ }
      }
    }
  }

  function addInstance(node, at) {
    const box = container(state.answers, at, true);
    if (!Array.isArray(box[node.id])) box[node.id] = [];
    box[node.id].push({});
    const inner = [...at, [node.id, box[node.id].length - 1]];
    applyDefaults(form, state.answers, inner, meta);
    scheduleSave();
    settle([node.id]);
    render();
    const instance = root.querySelector(`[data-instance="${CSS.escape(inner.map(([r, i]) => `${r}[${i}]`).join("."))}"]`);
    const first = instance && instance.querySelector("input, select, textarea");
    if (first) first.focus();
    else if (instance) instance.scrollIntoView();
  }

  function removeInstance(node, at, index) {
    const box = container(state.answers, at, true);
    if (!Array.isArray(box[node.id])) return;
    box[node.id].splice(index, 1);
    if (!box[node.id].length) delete box[node.id];
    const prefix = `${key(node.id, at)}[`;
    for (const path of Object.keys(state.problems)) if (path.startsWith(prefix)) delete state.problems[path];
    scheduleSave();
    settle([node.id]);
    renderKeepingFocus();
  }

  function nextAskedPage(from, step) {
    let page = from + step;
    while (page >= 0 && page < lastPage && !pageIsAsked(definition, page, state.judged)) page += step;
    return page;
  }

  function go(page, focusPath = null) {
    state.page = Math.max(0, Math.min(page, lastPage));
    if (state.draft) save();
    render();
    window.scrollTo(0, 0);
    const box = focusPath && pageView ? pageView.box(focusPath) : null;
    const target = box && !box.hidden ? box.querySelector("input:not([type=hidden]), select, textarea, button") : null;
    if (target) {
      target.focus();
      box.scrollIntoView({ block: "center" });
    } else {
      const heading = root.querySelector("h2");
      if (heading) heading.focus();
    }
  }

  function clearPageProblems(page) {
    for (const path of Object.keys(state.problems)) {
      const node = form.find(parsePath(path)?.id);
      if (node && node.page === page) delete state.problems[path];
    }
  }

  function next() {
    const found = pageProblems(definition, state.page, state.answers, lang(), state.judged);
    clearPageProblems(state.page);
    if (Object.keys(found).length) {
      Object.assign(state.problems, found);
      render();
      const first = root.querySelector(".invalid input, .invalid select, .invalid textarea, .invalid button");
      if (first) first.focus();
      return;
    }
    go(nextAskedPage(state.page, 1));
  }

  function firstProblem(found) {
    const path = Object.keys(found).sort((a, b) => form.find(parsePath(a).id).index - form.find(parsePath(b).id).index)[0];
    return path ? [form.find(parsePath(path).id).page, path] : null;
  }

  async function finish() {
    if (state.finishing) return;
    const found = pageProblems(definition, null, state.answers, lang(), state.judged);
    if (asksDistrict && !state.district && !options.preview && !Object.keys(found).length) {
      state.problems = { "meta.district": _("Choose the district of this interview.") };
      render();
      const picker = root.querySelector("#q-meta-district-prov, #q-meta-district-dep");
      if (picker) picker.focus();
      return;
    }
    if (Object.keys(found).length) {
      state.problems = found;
      const [page, path] = firstProblem(found);
      go(page, path);
      return;
    }
    if (!state.draft) scheduleSave(); // an interview with no answers at all still gets a UUID
    state.finishing = true;
    finishMeta(form, state.answers);
    state.judged = engine.settle(new Set(form.questions.filter((n) => n.item.meta === "end").map((n) => n.id))).judged;
    const { answers, attachments } = cleanAnswers(definition, state.answers, state.judged);
    const implied = impliedMeta(definition, answers);
    const record = snapshot();
    record.answers = answers;
    record.attachments = attachments;
    record.meta = { ...record.meta, ...implied };
    if (!record.meta.location && state.location) record.meta.location = state.location;
    for (const k of Object.keys(record.meta)) if (record.meta[k] === undefined) delete record.meta[k];
    delete record.rejected;
    delete record.fileNames;
    clearTimeout(timer);
    await saving;
    if (options.preview) {
      state.finishing = false;
      options.onFinished(record);
      return;
    }
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

  async function saveAndExit() {
    clearTimeout(timer);
    if (state.draft) await save();
    options.onLeave();
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
    return el("div", { class: "notice error", role: "alert" },
      el("p", {}, _("The server did not accept this interview. Fix the answers marked below and finish it again.")),
      ...rejected.general.map((message) => el("p", {}, message)));
  }

  const exitButton = () => el("button", { type: "button", class: "secondary save-exit", onclick: saveAndExit }, _("Save and exit"));

  function reviewStep() {
    const problems = { ...state.problems, ...pageProblems(definition, null, state.answers, lang(), state.judged) };
    const hasGeopoint = form.questions.some((n) => n.type === "geopoint");
    const parts = [el("h2", { tabindex: "-1" }, _("Check and finish"))];
    if (Object.keys(problems).length) {
      parts.push(el("p", { class: "notice error", role: "alert" }, _("Some answers are missing or wrong. Tap one to fix it.")));
    } else {
      parts.push(el("p", {}, _("All the answers are saved on this phone. Check them, then finish.")));
    }
    parts.push(reviewList(view, problems, (page, path) => go(page, path)).element);
    if (asksDistrict && !options.preview) parts.push(districtStep());
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
        options.channel === "public" ? _("Send") : _("Finish and save"))),
    el("div", { class: "nav exit-row" }, exitButton()));
    return parts;
  }

  function districtStep() {
    const message = state.problems["meta.district"];
    const value = state.district;
    const [build] = PLACE_WIDGETS.place;
    const control = build({
      // no fixed department: one offered from the last interview can still be changed
      q: { id: "meta_district", type: "place", department: null },
      id: "q-meta-district", value, describedBy: "q-meta-district-error", view,
      set: (district) => {
        state.district = district;
        if (district) {
          delete state.problems["meta.district"];
          setSetting("lastDistrict", district).catch(() => {});
        }
        scheduleSave();
      },
    });
    return el("fieldset", { class: `question${message ? " invalid" : ""}`, "data-key": "meta.district" },
      el("legend", {}, _("District of this interview"), el("span", { class: "required" }, " ", _("(required)"))),
      control, el("p", { class: "error", id: "q-meta-district-error", role: "alert" }, message || ""));
  }

  function render(target) {
    if (target) root = target;
    statusLine = el("p", { class: "saved", role: "status" }, state.draft && !options.preview ? _("Saved on this phone.") : "");
    const parts = [header(), rejectedBanner()];
    pageView = null;
    if (state.page >= lastPage) {
      parts.push(...reviewStep());
    } else {
      const page = definition.pages[state.page];
      const first = nextAskedPage(-1, 1) >= state.page;
      pageView = createPageView(state.page, view);
      parts.push(
        el("h2", { tabindex: "-1" }, page.title ? text(page.title) : text(definition.title)),
        pageView.element,
        el("div", { class: "nav" },
          first ? null : el("button", { type: "button", class: "secondary", onclick: () => go(nextAskedPage(state.page, -1)) }, _("Back")),
          el("button", { type: "button", class: "primary", onclick: next }, _("Next"))),
        el("div", { class: "nav exit-row" }, exitButton()));
    }
    parts.push(statusLine);
    root.replaceChildren(...parts.filter(Boolean));
  }

  return { render, flush, state };
}

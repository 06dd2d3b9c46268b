// Resident mode, opened from a survey's public link (#/f/<link token>): one feedback form,
// then a receipt code once it has arrived, and the list of this phone's feedback with
// a way to check its status and the team's answer.
import { getSetting, latestSurveys, listOutbox, listSent, setSetting } from "../db.js";
import { _, contentLanguage } from "../i18n.js";
import { refreshSurveys, syncStatus } from "../sync.js";
import { el, formatTime, notice, pick } from "./dom.js";

export async function enterResidentMode(link) {
  if ((await getSetting("link")) !== link) await setSetting("link", link);
  if (!(await getSetting("token")) && (await getSetting("mode")) !== "resident") await setSetting("mode", "resident");
}

// The form of this link: refreshed when there is signal, else the copy on the phone.
export async function linkSurvey(link) {
  let problem = null;
  try {
    await refreshSurveys({ link });
  } catch (error) {
    problem = error; // closed or revoked link: a copy on the phone still lets queued feedback go
  }
  const surveys = (await latestSurveys()).filter((s) => s.link === link);
  return { survey: surveys[0] || null, problem };
}

// Does the form ask for personal data (asked only with consent: the server makes sure)?
function asksForContact(definition) {
  const walk = (items) => (items || []).some((q) => q.personal === true || walk(q.questions));
  return (definition.pages || []).some((page) => walk(page.questions));
}

async function myFeedback(link) {
  const [outbox, sent] = await Promise.all([listOutbox(), listSent(50)]);
  return [
    ...outbox.filter((item) => item.link === link).map((item) => ({ ...item, waiting: true })),
    ...sent.filter((item) => item.link === link),
  ];
}

function receiptBlock(item) {
  if (item.receipt && !item.waiting) {
    return el("div", { class: "receipt" },
      el("p", {}, _("Your receipt code")),
      el("p", { class: "receipt-code", "data-receipt": item.receipt }, item.receipt),
      el("p", {}, _("Keep this code to see the answer later.")),
      el("a", { class: "button secondary", href: `#/receipt/${item.receipt}` }, _("Check the status")));
  }
  if (item.state === "attention") {
    return notice(_("This feedback could not be sent. Ask the team for help."), "error");
  }
  const sync = syncStatus();
  const sending = navigator.onLine !== false && !["offline", "error"].includes(sync.state);
  return el("div", { class: "receipt waiting" },
    el("p", {}, _("Your answer was saved on this phone.")),
    el("p", {}, sending ? _("Sending… Your receipt code will appear here.")
      : _("It will be sent when there is signal. Your receipt code will appear here.")));
}

function feedbackList(items) {
  if (!items.length) return null;
  return el("section", { class: "card", "aria-labelledby": "mine-title" },
    el("h2", { id: "mine-title" }, _("Your feedback")),
    el("ul", { class: "items" }, ...items.map((item) => el("li", {},
      el("small", {}, formatTime((item.meta && item.meta.completed_at) || item.sentAt)),
      receiptBlock(item)))));
}

// withSync: also follow the sync engine and the signal (the "sending…" line)
function listen(render, withSync = false) {
  const onChange = () => render();
  const events = withSync ? ["willay:changed", "willay:sync", "online", "offline"] : ["willay:changed"];
  for (const name of events) window.addEventListener(name, onChange);
  return () => { for (const name of events) window.removeEventListener(name, onChange); };
}

// The start page of the public link.
export function residentScreen(main, { link }) {
  let loaded = null;

  async function render() {
    if (!loaded) loaded = linkSurvey(link);
    const { survey, problem } = await loaded;
    const items = await myFeedback(link);
    const lang = contentLanguage();
    const parts = [];
    if (survey) {
      parts.push(
        el("h1", {}, pick(survey.title, lang)),
        survey.definition.description ? el("p", {}, pick(survey.definition.description, lang)) : null,
        asksForContact(survey.definition)
          ? el("p", {}, _("Contact details are asked only if you agree. We use them only to answer you.")) : null,
        problem ? notice(problem.message, "error") : null,
        problem ? null : el("a", { class: "button primary big", href: `#/f/${link}/new` }, _("Give your feedback")));
    } else {
      parts.push(notice(problem ? problem.message
        : _("This form is not on this phone yet. Open the link again when there is signal."), "error"));
    }
    parts.push(feedbackList(items),
      el("p", { class: "links" }, el("a", { href: `#/f/${link}/receipt` }, _("Check your receipt"))));
    main.replaceChildren(...parts.filter(Boolean));
  }
  return { render, leave: listen(render) };
}

// After sending: thanks, and the receipt code as soon as the server gave one.
export function residentDoneScreen(main, { link, uuid }) {
  async function render() {
    const items = await myFeedback(link);
    const item = items.find((x) => x.uuid === uuid) || { waiting: true };
    main.replaceChildren(
      el("h1", { tabindex: "-1" }, _("Thank you for telling us.")),
      el("section", { class: "card", "aria-live": "polite" }, receiptBlock(item)),
      el("p", { class: "links" },
        el("a", { href: `#/f/${link}` }, _("Back to the start")),
        el("a", { href: `#/f/${link}/new` }, _("Give more feedback"))));
  }
  return { render, leave: listen(render, true) };
}

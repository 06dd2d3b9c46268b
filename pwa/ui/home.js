// The promoter's home: counts and last send, "Send now", surveys to start, and the lists of
// drafts, interviews waiting to be sent, those that need attention, and those sent.
import { allSurveys, counts, deleteDraft, getSetting, latestSurveys, listDrafts, listOutbox, listSent, reopenRejected } from "../db.js";
import { _, contentLanguage, ngettext } from "../i18n.js";
import { storageStatus } from "../storage.js";
import { syncNow, syncStatus } from "../sync.js";
import { el, formatBytes, formatTime, notice, pick } from "./dom.js";
import { pairedMessage, takeJustPaired } from "./pairing.js";

// transfer.js only when a copy is asked for: the home screen is on the first visit's path
const keepCopy = async (uuid) => (await import("../transfer.js")).keepLocalCopy(uuid);

function titleOf(surveys, code) {
  const survey = surveys.find((s) => s.code === code);
  return survey ? pick(survey.title, contentLanguage()) : code;
}

function questionLabel(surveys, item, id) {
  const survey = surveys.find((s) => s.code === item.survey && s.version === item.version);
  const q = survey && survey.definition.pages.flatMap((p) => p.questions).find((x) => x.id === id);
  return q ? pick(q.label, contentLanguage()) : "";
}

// kind "alert" is coloured only when there is something to see (a red 0 would cry wolf)
function countBox(number, label, kind, alert = false) {
  return el("div", { class: `count ${kind}${alert && number > 0 ? " alert" : ""}` },
    el("strong", {}, String(number)), el("span", {}, label));
}

// An interview in a list: its readable name (the survey's instance_name, computed when it
// was finished or last saved) with the survey's title and the time; or the title and time.
function itemLabel(surveys, item, time) {
  const name = item.meta && item.meta.instance_name;
  const title = titleOf(surveys, item.survey);
  if (!name) return el("span", { class: "item-name" }, title, " ", el("small", {}, formatTime(time)));
  return el("span", { class: "item-name" }, el("strong", {}, name), " ",
    el("small", {}, `${title} · ${formatTime(time)}`));
}

function deviceLine(device) {
  if (!device || !device.label) return null;
  return el("p", { class: "device-line" }, device.promoter
    ? _("This phone: %(label)s · promoter: %(promoter)s", { label: device.label, promoter: device.promoter })
    : _("This phone: %(label)s", { label: device.label }));
}

function syncCard(total, sync, onSend, device) {
  const last = sync.lastSyncAt;
  const message = sync.state === "syncing" ? _("Sending…")
    : sync.state === "offline" ? _("No signal. Your answers are safe on this phone.")
      : sync.state === "error" ? sync.message : null;
  return el("section", { class: "card", "aria-labelledby": "sync-title" },
    el("h2", { id: "sync-title" }, _("Interviews on this phone")),
    deviceLine(device),
    el("div", { class: "counts" },
      countBox(total.drafts, ngettext("Draft", "Drafts", total.drafts), "drafts"),
      countBox(total.waiting, _("Waiting to send"), "waiting"),
      countBox(total.sent, ngettext("Sent interview", "Sent interviews", total.sent), "sent"),
      countBox(total.attention, _("Needs attention"), "attention", true)),
    el("p", { class: "last-sync" }, last
      ? _("Last sync: %(time)s", { time: formatTime(last) }) : _("Not synced yet.")),
    message ? notice(message, sync.state === "error" ? "error" : "info") : null,
    el("button", { type: "button", class: "primary", id: "send-now", onclick: onSend,
      disabled: sync.state === "syncing" }, _("Send now")));
}

function surveysCard(surveys) {
  const mine = surveys.filter((s) => !s.link);
  return el("section", { class: "card", "aria-labelledby": "surveys-title" },
    el("h2", { id: "surveys-title" }, _("Surveys")),
    mine.length ? el("ul", { class: "items" }, ...mine.map((s) => el("li", {},
      el("span", {}, pick(s.title, contentLanguage()), " ",
        el("small", {}, _("version %(number)s", { number: s.version }))),
      el("a", { class: "button primary", href: `#/new/${encodeURIComponent(s.code)}/${s.version}` },
        _("Start an interview")))))
      : el("p", {}, _("No surveys on this phone yet. Open the app with signal to download them.")));
}

function attentionCard(items, surveys, refresh) {
  if (!items.length) return null;
  return el("section", { class: "card attention", "aria-labelledby": "attention-title" },
    el("h2", { id: "attention-title" }, _("Needs attention")),
    el("ul", { class: "items" }, ...items.map((item) => {
      const reasons = Object.entries(item.errors || {}).map(([id, messages]) => {
        const label = questionLabel(surveys, item, id);
        return el("li", {}, label ? `${label}: ` : "", [].concat(messages).join(" "));
      });
      return el("li", { class: "attention-item" },
        itemLabel(surveys, item, item.meta && item.meta.started_at),
        el("ul", { class: "reasons" }, ...reasons),
        el("div", { class: "actions" },
          el("button", { type: "button", class: "primary", onclick: async () => {
            const draft = await reopenRejected(item.uuid);
            if (draft) location.hash = `#/i/${draft.uuid}`;
            else refresh();
          } }, _("Fix")),
          el("button", { type: "button", class: "secondary", onclick: () => keepCopy(item.uuid) },
            _("Keep a copy"))));
    })));
}

function draftsCard(drafts, surveys, refresh) {
  if (!drafts.length) return null;
  return el("section", { class: "card", "aria-labelledby": "drafts-title" },
    el("h2", { id: "drafts-title" }, _("Drafts")),
    el("ul", { class: "items" }, ...drafts.map((draft) => el("li", {},
      itemLabel(surveys, draft, draft.updatedAt),
      el("div", { class: "actions" },
        el("a", { class: "button primary", href: `#/i/${draft.uuid}` }, _("Continue")),
        el("button", { type: "button", class: "secondary", onclick: async () => {
          // the browser's own dialog: read by screen readers, answered by keyboard
          if (!confirm(_("Are you sure you want to delete this interview? It cannot be recovered."))) return;
          await deleteDraft(draft.uuid);
          refresh();
        } }, _("Delete")))))));
}

function waitingCard(items, surveys) {
  const waiting = items.filter((item) => item.state !== "attention");
  if (!waiting.length) return null;
  return el("section", { class: "card", "aria-labelledby": "waiting-title" },
    el("h2", { id: "waiting-title" }, _("Waiting to send")),
    el("ul", { class: "items" }, ...waiting.map((item) => el("li", {},
      itemLabel(surveys, item, item.meta && item.meta.completed_at)))));
}

function sentCard(sent, surveys) {
  if (!sent.length) return null;
  return el("section", { class: "card", "aria-labelledby": "sent-title" },
    el("h2", { id: "sent-title" }, _("Sent")),
    el("ul", { class: "items" }, ...sent.map((item) => el("li", {},
      itemLabel(surveys, item, item.sentAt),
      el("span", { class: "receipt-small" }, item.outcome === "conflict"
        ? _("Sent, under review") : _("Arrived"), item.receipt ? ` · ${item.receipt}` : "")))));
}

export function storageCard(status) {
  if (!status) return null;
  return el("section", { class: "card", "aria-labelledby": "storage-title" },
    el("h2", { id: "storage-title" }, _("Storage")),
    el("p", {}, status.persisted
      ? _("Your data is kept safe on this phone.")
      : _("The browser may delete the data when the phone runs out of space. Send often.")),
    status.quota ? el("p", {}, _("Using %(used)s of %(total)s.", {
      used: formatBytes(status.usage), total: formatBytes(status.quota) })) : null,
    status.low ? notice(_("Space is running low on this phone. Send your interviews and free some space."), "error") : null);
}

export function homeScreen(main) {
  let rendering = null;
  let sendResult = null;
  const paired = takeJustPaired(); // confirmed on this screen after a pairing

  async function load() {
    const [total, surveys, all, drafts, outbox, sent, storage, lastSyncAt, device] = await Promise.all([
      counts(), latestSurveys(), allSurveys(), listDrafts(), listOutbox(), listSent(20),
      storageStatus().catch(() => null), getSetting("lastSyncAt"), getSetting("device")]);
    const sync = { ...syncStatus() };
    sync.lastSyncAt = sync.lastSyncAt || lastSyncAt;
    const refresh = () => render();
    const onSend = async () => {
      const report = await syncNow();
      sendResult = report && report.failed === 0 && report.attention === 0
        ? _("Everything was sent.") : null;
      render();
    };
    return [
      paired ? notice(pairedMessage(device || paired)) : null,
      syncCard(total, sync, onSend, device),
      sendResult ? notice(sendResult) : null,
      surveysCard(surveys),
      attentionCard(outbox.filter((item) => item.state === "attention"), all, refresh),
      draftsCard(drafts, all, refresh),
      waitingCard(outbox, all),
      sentCard(sent, all),
      storageCard(storage),
      el("p", { class: "links" },
        el("a", { href: "#/receipt" }, _("Check your receipt")),
        el("a", { href: "#/settings" }, _("Settings"))),
    ];
  }

  async function render() {
    const mine = (rendering = load());
    const parts = await mine;
    if (mine !== rendering) return;
    const focused = document.activeElement && document.activeElement.id;
    main.replaceChildren(...parts.filter(Boolean));
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  let pending = null;
  const onChange = () => { // a sync sends bursts of events: redraw once per burst
    clearTimeout(pending);
    pending = setTimeout(render, 50);
  };
  window.addEventListener("willay:changed", onChange);
  window.addEventListener("willay:sync", onChange);
  return {
    render,
    leave() {
      clearTimeout(pending);
      window.removeEventListener("willay:changed", onChange);
      window.removeEventListener("willay:sync", onChange);
    },
  };
}

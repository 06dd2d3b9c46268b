// The "Interview saved" screen: says what really became of the finished interview — still
// being sent, sent (with its receipt), waiting for signal, or refused — and follows the
// sync engine's events until it is settled.
import { getOutboxItem, getSent, latestSurveys } from "../db.js";
import { _ } from "../i18n.js";
import { syncStatus } from "../sync.js";
import { el, notice } from "./dom.js";

// What the promoter should know about one finished interview right now.
export async function sendingState(uuid) {
  const sent = await getSent(uuid);
  if (sent) return { kind: sent.outcome === "conflict" ? "review" : "sent", receipt: sent.receipt || null };
  const item = await getOutboxItem(uuid);
  if (item && item.state === "attention") return { kind: "attention" };
  const sync = syncStatus();
  if (navigator.onLine === false) return { kind: "no-signal" };
  if (sync.state === "offline" || sync.state === "error") return { kind: "failed", message: sync.message };
  return { kind: "sending" };
}

function stateLine(state) {
  switch (state.kind) {
    case "sent":
      return notice(state.receipt ? _("Sent ✓. Receipt code: %(receipt)s", { receipt: state.receipt }) : _("Sent ✓"));
    case "review":
      return notice(`${_("Sent, under review")}${state.receipt ? ` · ${state.receipt}` : ""}`);
    case "attention":
      return notice(_("The server did not accept it. Open it under “Needs attention” on the start screen to fix it."), "error");
    case "no-signal":
      return el("p", {}, _("It will be sent when there is signal."));
    case "failed":
      return el("div", {},
        el("p", {}, _("It could not be sent yet. The phone will try again by itself.")),
        state.message ? el("p", { class: "detail" }, state.message) : null);
    default:
      return el("p", {}, _("Sending…"));
  }
}

// params: {uuid, code} of the finished interview; returns {render, leave}
export function savedScreen(main, { uuid, code }) {
  let box = null;
  let pending = null;

  async function render() {
    const [state, surveys] = await Promise.all([sendingState(uuid), latestSurveys()]);
    const newest = surveys.find((s) => s.code === code && !s.link); // a new interview: the newest version
    const again = newest ? `#/new/${encodeURIComponent(code)}/${newest.version}` : "#/";
    const first = !box;
    box = el("div", { class: "sending", "aria-live": "polite", "data-state": state.kind }, stateLine(state));
    main.replaceChildren(
      el("h1", { tabindex: "-1" }, _("Interview saved")),
      notice(_("Your answer was saved on this phone.")),
      box,
      el("div", { class: "nav" },
        el("a", { class: "button primary", href: again }, _("New interview")),
        el("a", { class: "button secondary", href: "#/" }, _("Back to the start"))));
    if (first) main.querySelector("h1").focus();
  }

  // only the status line changes, so focus and the screen reader's place are kept
  async function update() {
    if (!box) return;
    const state = await sendingState(uuid);
    if (box.dataset.state === state.kind && state.kind !== "failed") return;
    box.dataset.state = state.kind;
    box.replaceChildren(stateLine(state));
  }

  const onChange = () => { // a sync sends bursts of events: redraw once per burst
    clearTimeout(pending);
    pending = setTimeout(update, 50);
  };
  window.addEventListener("willay:sync", onChange);
  window.addEventListener("willay:changed", onChange);
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return {
    render,
    leave() {
      clearTimeout(pending);
      window.removeEventListener("willay:sync", onChange);
      window.removeEventListener("willay:changed", onChange);
      window.removeEventListener("online", onChange);
      window.removeEventListener("offline", onChange);
    },
  };
}

// "Check your receipt": the status of a feedback and the coordinators' answer, asked from
// the server (GET /api/v1/receipts/<code>) in the current language.
import { _, language } from "../i18n.js";
import { el, formatTime, notice } from "./dom.js";

export async function lookUpReceipt(code) {
  let response;
  try {
    response = await fetch(`/api/v1/receipts/${encodeURIComponent(code.trim())}`, {
      headers: { "Accept-Language": language().replace("_", "-") }, cache: "no-store",
    });
  } catch {
    throw new Error(_("No signal. Check your receipt again when there is signal."));
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error ? body.error.message : _("The server could not be reached. Try again later."));
  }
  return body;
}

export function receiptResult(found) {
  return el("div", { class: "card receipt-result" },
    el("p", {}, el("strong", {}, found.survey_title)),
    el("p", { class: "receipt-code" }, found.receipt),
    el("p", { class: "status-label" }, _("Status: %(status)s", { status: found.status_label })),
    found.received_at ? el("p", {}, _("Received: %(time)s", { time: formatTime(found.received_at) })) : null,
    found.response
      ? el("div", { class: "reply" },
        el("h3", {}, _("Answer from the team")),
        el("p", { class: "reply-text" }, found.response.text),
        found.response.responded_at ? el("small", {}, formatTime(found.response.responded_at)) : null)
      : el("p", {}, _("There is no answer yet. Come back later.")),
    found.public_update ? updateLink(found.public_update) : null);
}

// The coordinators' public update that answers this feedback, on the portal, in the same
// language as the app.
function updateLink(update) {
  const url = new URL(update.url, location.origin);
  url.searchParams.set("lang", language().startsWith("qu") ? "qu" : "es");
  return el("p", { class: "public-update" },
    el("a", { href: url.pathname + url.search + url.hash },
      _("What was done: %(title)s", { title: update.title })));
}

// params.code: look it up at once; params.back: where "Back" goes.
export function receiptScreen(main, params = {}) {
  let result = null;
  let code = params.code || "";

  async function check(value) {
    code = value;
    try {
      result = receiptResult(await lookUpReceipt(value));
    } catch (error) {
      result = notice(error.message, "error");
    }
    render();
  }

  function render() {
    const input = el("input", {
      id: "receipt", name: "receipt", autocomplete: "off", autocapitalize: "characters",
      spellcheck: "false", placeholder: "K7M4-QX9P", value: code,
    });
    main.replaceChildren(
      el("h1", {}, _("Check your receipt")),
      el("form", { class: "card", onsubmit: (event) => { event.preventDefault(); check(input.value); } },
        el("label", { for: "receipt" }, _("Receipt code")),
        input,
        el("button", { type: "submit", class: "primary" }, _("Check"))),
      el("div", { "aria-live": "polite" }, result),
      el("p", { class: "links" }, el("a", { href: params.back || "#/" }, _("Back"))));
  }

  if (params.code && !result) check(params.code);
  return { render };
}

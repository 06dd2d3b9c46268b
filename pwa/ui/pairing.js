// Pairing: the promoter types the code the coordinator gave, or opens the QR link
// (#pair=<code>), and the phone downloads its surveys.
import { _ } from "../i18n.js";
import { pair, refreshSurveys } from "../sync.js";
import { el, notice } from "./dom.js";

let justPaired = null; // the device of a pairing just made, for the home screen to confirm once

export async function pairWith(code) {
  const device = await pair(code.trim());
  justPaired = device || {};
  try {
    await refreshSurveys();
  } catch { /* surveys come with the next sync */ }
  return device;
}

// The pairing just made (once), or null.
export function takeJustPaired() {
  const device = justPaired;
  justPaired = null;
  return device;
}

// "This phone is paired as …" for the pairing answer's {label, promoter}
export function pairedMessage(device) {
  if (device && device.label && device.promoter) {
    return _("This phone is paired as %(label)s for %(promoter)s.", { label: device.label, promoter: device.promoter });
  }
  return device && device.label ? _("This phone is paired as %(label)s.", { label: device.label })
    : _("This phone is paired.");
}

export function pairingScreen(main, params = {}) {
  let error = params.error || null;
  let busy = false;

  function render() {
    const input = el("input", {
      id: "pairing-code", name: "code", autocomplete: "off", autocapitalize: "characters",
      spellcheck: "false", placeholder: "K7M4-QX9P", required: true, "aria-describedby": "pairing-help",
    });
    const submit = async (event) => {
      event.preventDefault();
      if (busy || !input.value.trim()) return;
      busy = true;
      try {
        await pairWith(input.value);
        location.hash = "#/";
      } catch (problem) {
        error = navigator.onLine ? problem.message : _("No signal. Pair this phone where there is signal.");
        render();
      } finally {
        busy = false;
      }
    };
    main.replaceChildren(
      el("h1", {}, _("Pair this phone")),
      el("p", { id: "pairing-help" }, _("This phone is not paired yet. Scan the QR code your coordinator gives you."),
        " ", _("Or enter the pairing code your coordinator gave you.")),
      el("form", { class: "card", onsubmit: submit },
        el("label", { for: "pairing-code" }, _("Pairing code")),
        input,
        error ? notice(error, "error") : null,
        el("button", { type: "submit", class: "primary" }, _("Pair"))),
      el("p", { class: "links" }, el("a", { href: "#/receipt" }, _("Check your receipt"))));
  }
  return { render };
}

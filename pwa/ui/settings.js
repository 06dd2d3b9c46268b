// Settings: this phone's pairing, storage, and the last-resort outbox file (export/import).
import { getSetting } from "../db.js";
import { _, ngettext } from "../i18n.js";
import { storageStatus } from "../storage.js";
import { downloadOutbox, importOutbox } from "../transfer.js";
import { el, notice } from "./dom.js";
import { storageCard } from "./home.js";

export function settingsScreen(main) {
  let message = null;

  async function render() {
    const [device, storage] = await Promise.all([getSetting("device"), storageStatus().catch(() => null)]);
    const file = el("input", {
      id: "import-file", type: "file", accept: "application/json,.json", class: "visually-hidden",
      onchange: async () => {
        if (!file.files[0]) return;
        try {
          const result = await importOutbox(file.files[0]);
          message = notice(ngettext("%(count)s interview was added to send.", "%(count)s interviews were added to send.", result.added));
        } catch (error) {
          message = notice(error.message, "error");
        }
        render();
      },
    });
    main.replaceChildren(
      el("h1", {}, _("Settings")),
      el("section", { class: "card", "aria-labelledby": "device-title" },
        el("h2", { id: "device-title" }, _("This phone")),
        device ? el("p", {}, _("Paired as %(label)s (%(promoter)s).", {
          label: device.label || "", promoter: device.promoter || "" }))
          : el("p", {}, _("This phone is not paired yet. Scan the QR code your coordinator gives you.")),
        el("a", { href: "#/pair", class: "button secondary" }, _("Pair with a new code"))),
      storageCard(storage),
      el("section", { class: "card", "aria-labelledby": "file-title" },
        el("h2", { id: "file-title" }, _("Send by file")),
        el("p", {}, _("If this phone cannot send, save the interviews waiting to be sent in a file and give it to your coordinator, or open it on another phone.")),
        el("button", { type: "button", class: "secondary", onclick: async () => {
          const count = await downloadOutbox();
          message = notice(ngettext("%(count)s interview was saved in the file.", "%(count)s interviews were saved in the file.", count));
          render();
        } }, _("Save to a file")),
        el("label", { for: "import-file", class: "button secondary" }, _("Open a file"), file),
        message),
      el("p", { class: "links" }, el("a", { href: "#/" }, _("Back"))));
  }
  return { render };
}

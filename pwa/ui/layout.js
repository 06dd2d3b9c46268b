// The page frame: top bar, update notice and the current screen's area. A language switch
// redraws the current screen from its own state, so answers being typed are kept.
import { _ } from "../i18n.js";
import { el } from "./dom.js";
import { topBar, updateBanner } from "./chrome.js";

export function chrome(root) {
  const bar = el("div", { class: "bar" });
  const banner = el("div", { class: "banner" });
  const main = el("main", { id: "main", tabindex: "-1" });
  const skip = el("a", { href: "#main", class: "skip", onclick: (event) => { event.preventDefault(); main.focus(); } });
  root.replaceChildren(skip, bar, banner, main);
  let screen = null;

  function drawFrame() {
    skip.textContent = _("Skip to the content");
    bar.replaceChildren(topBar(async () => {
      if (screen && screen.flush) await screen.flush(); // an answer being typed is saved first
      drawFrame();
      if (screen) await screen.render();
    }));
    const notice = updateBanner(Boolean(screen && screen.interviewOpen));
    banner.replaceChildren(...(notice ? [notice] : []));
  }

  window.addEventListener("online", drawFrame);
  window.addEventListener("offline", drawFrame);
  window.addEventListener("willay:update", drawFrame);

  return {
    main,
    setScreen(next) {
      screen = next;
      drawFrame();
    },
  };
}

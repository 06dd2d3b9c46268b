// Willay app: starts storage, sync and the service worker, then shows the screen the
// address asks for. Routes (in the fragment, so the shell is one cached page):
//   #/                 promoter home (pairing first when the phone is not paired)
//   #pair=<code>       pair from the coordinator's QR link
//   #/pair             type a pairing code          #/settings   settings
//   #/new/<code>/<n>   new interview                #/i/<uuid>   continue a draft
//   #/receipt[/<code>] check a receipt
//   #/f/<link>[/new | /i/<uuid> | /done/<uuid> | /receipt[/<code>]]   resident mode
import { getSetting, setSetting } from "./db.js";
import { chosenLanguage, language, loadLanguage, prefetchLanguages } from "./i18n.js";
import { requestPersistence } from "./storage.js";
import { startSync } from "./sync.js";
import { chrome } from "./ui/layout.js";
import { homeScreen } from "./ui/home.js";
import { pairingScreen, pairWith } from "./ui/pairing.js";
import { registerServiceWorker } from "./update.js";

// Only the first screens (pairing, home) are imported above; the page preloads them and then
// the form engine, which start() imports at once (server/web/shell.py). The other screens
// load when asked for — offline from the service worker — so a first visit on a slow link
// does not download them.
const screens = {
  interview: () => import("./ui/interview-screen.js"),
  preview: () => import("./ui/preview.js"),
  receipt: () => import("./ui/receipt.js"),
  resident: () => import("./ui/resident.js"),
  settings: () => import("./ui/settings.js"),
};
const interviewScreen = async (main, params) => (await screens.interview()).interviewScreen(main, params);
const receiptScreen = async (main, params) => (await screens.receipt()).receiptScreen(main, params);

const layout = chrome(document.getElementById("app"));
let screen = null;

// Promoter routes by the address's first part: parts = the address split at "/" (decoded).
// A new screen is one more line here.
const ROUTES = {
  receipt: (parts) => receiptScreen(layout.main, { code: parts[1] }),
  pair: () => pairingScreen(layout.main),
  new: (parts) => parts[1] && parts[2] && interviewScreen(layout.main, { code: parts[1], version: parts[2] }),
  i: (parts) => parts[1] && interviewScreen(layout.main, { uuid: parts[1] }),
  settings: async () => (await screens.settings()).settingsScreen(layout.main),
  // the console's live preview (nothing is kept)
  preview: async () => (await screens.preview()).previewScreen(layout.main),
};

// Resident routes below #/f/<link>/: parts[2] names the screen
const RESIDENT_ROUTES = {
  new: (link) => interviewScreen(layout.main, { link, code: null }),
  i: (link, parts) => parts[3] && interviewScreen(layout.main, { link, uuid: parts[3] }),
  done: async (link, parts) => parts[3]
    && (await screens.resident()).residentDoneScreen(layout.main, { link, uuid: parts[3] }),
  receipt: (link, parts) => receiptScreen(layout.main, { code: parts[3], back: `#/f/${link}` }),
};

async function route() {
  const hash = location.hash;
  const pairCode = new URLSearchParams(hash.slice(1)).get("pair");
  if (pairCode) {
    history.replaceState(null, "", location.pathname); // the code must not linger in the address
    try {
      await pairWith(pairCode);
    } catch (error) {
      return pairingScreen(layout.main, { error: error.message });
    }
    return homeScreen(layout.main);
  }
  const parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  if (parts[0] === "f" && parts[1]) {
    const link = parts[1];
    const resident = await screens.resident();
    await resident.enterResidentMode(link);
    const chosen = Object.hasOwn(RESIDENT_ROUTES, parts[2]) && (await RESIDENT_ROUTES[parts[2]](link, parts));
    return chosen || resident.residentScreen(layout.main, { link });
  }
  const screen = Object.hasOwn(ROUTES, parts[0]) && (await ROUTES[parts[0]](parts));
  if (screen) return screen;
  if (await getSetting("token")) return homeScreen(layout.main);
  const link = await getSetting("link");
  if (link && (await getSetting("mode")) === "resident") {
    history.replaceState(null, "", `#/f/${link}`);
    return (await screens.resident()).residentScreen(layout.main, { link });
  }
  return pairingScreen(layout.main);
}

async function show() {
  if (screen && screen.leave) screen.leave();
  screen = null;
  const next = await route();
  screen = next;
  layout.setScreen(next);
  await next.render();
}

async function start() {
  const engine = screens.interview().catch(() => null); // the first interview needs it next
  const saved = await getSetting("language").catch(() => null);
  try {
    await loadLanguage(saved || chosenLanguage());
  } catch {
    // no catalog yet (first visit offline): the English message ids are shown
  }
  if (!saved) setSetting("language", language()); // the sync asks the server in this language
  registerServiceWorker();
  requestPersistence();
  startSync();
  window.addEventListener("hashchange", show);
  await show();
  // the other language's strings (kept so switching works offline) and the icons after what
  // the first screens need: on a slow link they would delay them
  engine.then(() => {
    for (const link of document.querySelectorAll("link[data-href]")) link.href = link.dataset.href;
    prefetchLanguages();
  });
}

start();

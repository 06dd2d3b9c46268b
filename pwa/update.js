// Service worker registration and the safe update flow. A new app version installs in the
// background and waits; the page hears "willay:update" and applies it with applyUpdate()
// only when no interview is open (the screens say so with setInterviewOpen()).
// Data lives in IndexedDB, which an update never touches, so queued interviews survive it.

const SWITCH_PATIENCE_MS = 3000;
let interviewOpen = false;
let waitingWorker = null;
let registration = null;
let applyWhenClosed = false;
let reloadWhenClosed = false;
let registering = null;

function announce() {
  globalThis.dispatchEvent(new CustomEvent("willay:update", { detail: { ready: true } }));
}

function watch(found) {
  const consider = (worker) => {
    if (!worker) return;
    const settle = () => {
      // "installed" with a controller present = an update waiting (the first install has none)
      if (worker.state === "installed" && navigator.serviceWorker.controller) {
        waitingWorker = worker;
        announce();
      }
    };
    worker.addEventListener("statechange", settle);
    settle();
  };
  if (found.waiting) consider(found.waiting);
  found.addEventListener("updatefound", () => consider(found.installing));
}

function reload() {
  reloadWhenClosed = false;
  location.reload();
}

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  if (!registering) {
    let controlled = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (!controlled) { controlled = true; return; } // the first install took control: same version
      // a new version took over (from this tab or another): load it, but never mid-interview
      if (interviewOpen) reloadWhenClosed = true;
      else reload();
    });
    registering = navigator.serviceWorker.register("/app/sw.js", { scope: "/app/", type: "module", updateViaCache: "none" })
      .then((found) => {
        registration = found;
        watch(found);
        document.addEventListener("visibilitychange", () => {
          if (document.visibilityState === "visible") found.update().catch(() => null);
        });
        return found;
      })
      .catch(() => null); // no worker (private mode, old browser): the app still works online
  }
  return registering;
}

// {ready, interviewOpen}: what the update flow knows right now
export function updateState() {
  return { ready: updateReady(), interviewOpen };
}

export function updateReady() {
  return Boolean(waitingWorker || (registration && registration.waiting && navigator.serviceWorker.controller));
}

export function setInterviewOpen(open) {
  const changed = interviewOpen !== Boolean(open);
  interviewOpen = Boolean(open);
  if (changed && updateReady()) announce(); // the notice says "update now" or "after the interview"
  if (interviewOpen) return;
  if (reloadWhenClosed) reload();
  else if (applyWhenClosed) applyUpdate();
}

// Switch to the waiting version; deferred while an interview is open. Returns true when
// the switch (and the page reload that follows) has started.
export function applyUpdate() {
  if (interviewOpen) {
    applyWhenClosed = true;
    return false;
  }
  const worker = (registration && registration.waiting) || waitingWorker;
  if (!worker) return false;
  applyWhenClosed = false;
  worker.postMessage({ type: "skip-waiting" });
  // Chromium may hold the switch while the old worker is busy; leaving the page releases it
  setTimeout(() => { if (!interviewOpen) reload(); }, SWITCH_PATIENCE_MS);
  return true;
}

// Ask the server for a newer worker now (on start the browser does this by itself).
export async function checkForUpdate() {
  const found = await registerServiceWorker();
  if (found) await found.update().catch(() => null);
  return updateReady();
}

// The answers of the requests boot.js (inline in the page) started before the modules
// arrived: each is handed out once, to the caller asking the same thing (same key), as a
// Response or null when there is none (never started, already taken, or the network failed),
// so the caller then asks the server itself.
export function takeEarly(kind, key) {
  const early = globalThis.willayEarly;
  const entry = early && early[kind];
  if (!entry || entry.key !== key) return Promise.resolve(null);
  delete early[kind];
  return entry.response;
}

// Fetch the next screen's modules (the form engine) all at once, now that the first screens'
// modules are here: imported one level at a time they would cost a round trip per level.
export function preloadLater() {
  const early = globalThis.willayEarly;
  if (early && typeof early.preload === "function") early.preload();
}

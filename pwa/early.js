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


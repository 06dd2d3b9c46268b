// The first visit's requests, started while the modules are still downloading. Not a module:
// server/web/shell.py writes this file into index.html as an inline script (allowed by its
// CSP hash) so it runs as soon as the page is parsed, before app.js has arrived.
// On a 400 ms, 400 kbps link the modules take a few seconds; the strings and the pairing
// answer travel beside them instead of after them. early.js hands each answer, once, to the
// code that would have asked for it (i18n.js, sync.js); a failed request is simply made again.
(() => {
  const stored = (() => { try { return localStorage.getItem("willay.lang"); } catch { return null; } })();
  const locale = stored || ((navigator.language || "").toLowerCase().startsWith("qu") ? "qu" : "es_PE");
  const answer = (request) => request.catch(() => null);
  const early = { strings: { key: locale, response: answer(fetch(`/api/v1/i18n/${locale}`)) } };
  const code = (new URLSearchParams(location.hash.slice(1)).get("pair") || "").trim();
  if (code) {
    early.pair = {
      key: code,
      response: answer(fetch("/api/v1/devices/pair", {
        method: "POST", cache: "no-store", body: JSON.stringify({ code }),
        headers: { "Content-Type": "application/json", "Accept-Language": locale.replace("_", "-"),
          "X-Willay-App": "__WILLAY_VERSION__" },
      })),
    };
  }
  window.willayEarly = early;
})();

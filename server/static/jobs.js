// Progress of background jobs (exports, media clean-up): every element with data-job-url
// that is still queued or running asks the server for its state once a second and shows
// it; the page's own first render comes from the server, so a reload loses nothing.
(function () {
  "use strict";
  const LIVE = new Set(["queued", "running"]);
  const EVERY_MS = 1000;

  function show(row, state) {
    row.dataset.status = state.status;
    const bar = row.querySelector("progress");
    if (bar) {
      if (state.percent === null) bar.removeAttribute("value");
      else bar.value = state.percent;
    }
    const text = row.querySelector(".job-text");
    if (text) text.textContent = state.text;
    const file = row.querySelector(".job-file");
    const template = document.getElementById("job-download-link");
    if (file && template && state.download_url && !file.querySelector("a")) {
      const link = template.content.firstElementChild.cloneNode(true);
      link.href = state.download_url;
      file.appendChild(link);
    }
    if (!LIVE.has(state.status) && row.dataset.reloadWhenDone !== undefined) {
      window.location.reload();
    }
  }

  async function follow(row) {
    while (LIVE.has(row.dataset.status)) {
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
      try {
        const answer = await fetch(row.dataset.jobUrl, {
          headers: { Accept: "application/json" }, credentials: "same-origin",
          cache: "no-store",
        });
        if (answer.status === 404) return; // deleted, or no longer ours
        if (answer.ok) show(row, await answer.json());
      } catch (err) {
        // the server is restarting or the network dropped: ask again next time
      }
    }
  }

  document.querySelectorAll("[data-job-url]").forEach((row) => {
    if (LIVE.has(row.dataset.status)) follow(row);
  });
})();

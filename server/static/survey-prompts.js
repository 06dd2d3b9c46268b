// Audio prompts page of the console: record a question's (or a choice's) prompt with the
// microphone, listen to it, then save it to the survey (MediaRecorder, no libraries).
// Texts come translated from the page (data-t-* attributes of #recorder).

const box = document.getElementById("recorder");
const status = document.getElementById("recorder-status");
const t = (key) => box.dataset[`t${key[0].toUpperCase()}${key.slice(1)}`] || key;
const TYPES = ["audio/webm;codecs=opus", "audio/webm", "audio/ogg;codecs=opus", "audio/mp4"];
let busy = false; // one recording at a time

function say(text, kind = "") {
  status.hidden = !text;
  status.textContent = text;
  status.className = `flash ${kind}`.trim();
}

function button(label, className, onclick) {
  const node = document.createElement("button");
  node.type = "button";
  node.className = className;
  node.textContent = label;
  node.addEventListener("click", onclick);
  return node;
}

function setBusy(value, except = null) {
  busy = value;
  for (const other of document.querySelectorAll("button.record")) {
    if (other !== except) other.disabled = value;
  }
}

function recorderType() {
  return TYPES.find((type) => MediaRecorder.isTypeSupported(type)) || "";
}

async function record(item, recordButton) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch {
    say(t("noMic"), "error");
    return;
  }
  const type = recorderType();
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const chunks = [];
  setBusy(true, recordButton);
  recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
  const limit = setTimeout(() => recorder.stop(), Number(box.dataset.maxSeconds || 120) * 1000);
  const stop = () => recorder.stop();
  recordButton.textContent = t("stop");
  recordButton.setAttribute("aria-pressed", "true");
  recordButton.addEventListener("click", stop, { once: true });
  recorder.addEventListener("stop", () => {
    clearTimeout(limit);
    for (const track of stream.getTracks()) track.stop();
    recordButton.textContent = t("record");
    recordButton.removeAttribute("aria-pressed");
    review(item, recordButton, new Blob(chunks, { type: recorder.mimeType || type || "audio/webm" }));
  }, { once: true });
  recorder.start(250);
  say(t("recording"));
}

// The new recording, to listen to before it replaces anything.
function review(item, recordButton, blob) {
  say("");
  const url = URL.createObjectURL(blob);
  const player = document.createElement("audio");
  player.controls = true;
  player.src = url;
  player.className = "take";
  const panel = document.createElement("span");
  panel.className = "take-panel";
  const done = () => {
    URL.revokeObjectURL(url);
    panel.remove();
    recordButton.hidden = false;
    setBusy(false);
  };
  panel.append(player,
    button(t("save"), "primary", () => save(item, blob, panel, done)),
    button(t("discard"), "", done));
  recordButton.hidden = true;
  item.append(panel);
  panel.querySelector("button.primary").focus();
}

async function save(item, blob, panel, done) {
  for (const node of panel.querySelectorAll("button")) node.disabled = true;
  say(t("saving"));
  const form = new FormData();
  form.append("file", blob, "prompt");
  form.append("question", item.dataset.question);
  if (item.dataset.choice !== undefined) form.append("choice", item.dataset.choice);
  form.append("lang", item.dataset.lang);
  let answer = null;
  try {
    const response = await fetch(box.dataset.url, {
      method: "POST", body: form, credentials: "same-origin",
      headers: { "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content },
    });
    answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || t("failed"));
  } catch (error) {
    say(error.message || t("failed"), "error");
    for (const node of panel.querySelectorAll("button")) node.disabled = false;
    return;
  }
  if (answer.copied) { // a published version stays as it is: go on in the new draft
    location.assign(answer.prompts_url);
    return;
  }
  const current = item.querySelector("audio:not(.take), .missing, .muted");
  const player = document.createElement("audio");
  player.controls = true;
  player.preload = "none";
  player.src = `${answer.url}?t=${Date.now()}`; // the same name may hold a new recording
  player.setAttribute("aria-label", item.querySelector(".prompt-lang").textContent);
  if (current) current.replaceWith(player);
  else item.insertBefore(player, item.querySelector("button.record"));
  done();
  say(answer.message || t("saved"));
}

if (box && window.MediaRecorder && navigator.mediaDevices) {
  for (const item of document.querySelectorAll("li.prompt")) {
    const recordButton = item.querySelector("button.record");
    if (!recordButton) continue;
    recordButton.hidden = false;
    recordButton.addEventListener("click", () => {
      if (!busy) record(item, recordButton);
    });
  }
} else if (box) {
  say(t("unsupported"), "warning");
}

// Photo, voice-note, video and file questions. Files are stored in IndexedDB by their
// SHA-256 and the answer is that hash. Photos are downscaled first; voice notes have a
// length limit, videos and files a size limit.
import { getAttachment, putAttachment } from "../db.js";
import { _, ngettext } from "../i18n.js";
import { el, formatBytes } from "../ui/dom.js";
import { formatClock, settleDuration } from "./duration.js";
import { downscale } from "./image.js";

export const MAX_RECORDING_SECONDS = 120;
// the server's default WILLAY_MAX_VIDEO_BYTES: a larger video would be refused (413) at upload
export const MAX_VIDEO_BYTES = 50 * 1024 * 1024;
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

async function objectUrl(sha256) {
  const record = await getAttachment(sha256);
  return record ? URL.createObjectURL(new Blob([record.bytes], { type: record.type })) : null;
}

function fileButton(ctx, label, suffix, capture, onFile, accept = "image/*") {
  const id = `${ctx.id}-${suffix}`;
  const input = el("input", {
    id, type: "file", accept, class: "visually-hidden", capture, disabled: ctx.readOnly,
    "aria-describedby": ctx.describedBy,
    onchange: () => { if (input.files[0]) onFile(input.files[0]); input.value = ""; },
  });
  return el("label", { class: "button secondary", for: id }, label, input);
}

function photo(ctx) {
  const box = el("div", { class: "media" });
  const status = el("p", { class: "media-status", role: "status" });
  const show = async () => {
    box.replaceChildren();
    if (ctx.value) {
      const url = await objectUrl(ctx.value);
      if (url) box.append(el("img", { src: url, alt: _("Photo taken for this question"), class: "preview" }));
      box.append(el("button", {
        type: "button", class: "secondary",
        onclick: () => { ctx.set(undefined); ctx.value = undefined; show(); },
      }, _("Remove the photo")));
    }
    box.append(
      fileButton(ctx, _("Take a photo"), "camera", "environment", store),
      fileButton(ctx, _("Choose a photo"), "file", false, store),
      status);
  };
  const store = async (file) => {
    status.textContent = _("Preparing the photo…");
    try {
      const { blob, width, height } = await downscale(file);
      const { sha256 } = await putAttachment(blob);
      box.dataset.width = String(width);
      box.dataset.height = String(height);
      ctx.value = sha256;
      ctx.set(sha256);
      await show();
      status.textContent = _("Photo saved on this phone.");
    } catch {
      status.textContent = _("This photo could not be read. Take another one.");
    }
  };
  show();
  return box;
}

function recorderType() {
  for (const type of ["audio/webm", "audio/ogg", "audio/mp4"]) {
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  return "";
}

function audio(ctx) {
  const box = el("div", { class: "media" });
  const status = el("p", { class: "media-status", role: "status" });
  let recorder = null;
  let timer = null;

  const show = async () => {
    box.replaceChildren();
    if (ctx.value) {
      const url = await objectUrl(ctx.value);
      if (url) {
        const player = el("audio", { controls: true, preload: "metadata", src: url, "aria-label": _("Recorded voice note") });
        const length = el("p", { class: "media-length" });
        settleDuration(player, (seconds) => {
          length.textContent = _("Length: %(time)s", { time: formatClock(seconds) });
        });
        box.append(player, length);
      }
      box.append(el("button", {
        type: "button", class: "secondary",
        onclick: () => { ctx.set(undefined); ctx.value = undefined; show(); },
      }, _("Delete the recording")));
    }
    box.append(el("button", { type: "button", class: "secondary", onclick: start },
      ctx.value ? _("Record again") : _("Record")), status);
  };

  const stop = () => {
    clearInterval(timer);
    if (recorder && recorder.state !== "inactive") recorder.stop();
  };

  const start = async () => {
    if (typeof MediaRecorder !== "function" || !navigator.mediaDevices) {
      status.textContent = _("This phone cannot record sound here.");
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      status.textContent = _("The microphone could not be used. Allow it and try again.");
      return;
    }
    const type = recorderType();
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
    const chunks = [];
    recorder.ondataavailable = (event) => { if (event.data.size) chunks.push(event.data); };
    recorder.onstop = async () => {
      stream.getTracks().forEach((track) => track.stop());
      const plain = (recorder.mimeType || type || "audio/webm").split(";")[0];
      const { sha256 } = await putAttachment(new Blob(chunks, { type: plain }));
      ctx.value = sha256;
      ctx.set(sha256);
      await show();
      status.textContent = _("Recording saved on this phone. Listen to it before you go on.");
    };
    recorder.start(1000);
    const began = Date.now();
    const stopButton = el("button", { type: "button", class: "danger", onclick: stop }, _("Stop"));
    box.replaceChildren(stopButton, status);
    stopButton.focus();
    const tick = () => {
      const seconds = Math.floor((Date.now() - began) / 1000);
      status.textContent = ngettext("Recording: %(seconds)s of %(limit)s second",
        "Recording: %(seconds)s of %(limit)s seconds", MAX_RECORDING_SECONDS,
        { seconds, limit: MAX_RECORDING_SECONDS });
      if (seconds >= MAX_RECORDING_SECONDS) stop();
    };
    tick();
    timer = setInterval(tick, 500);
  };

  show();
  return box;
}

// A video (taken with the camera or chosen) or any document, kept as it is.
function storedFile(kind) {
  return (ctx) => {
    const video = kind === "video";
    const limit = video ? Number((ctx.q.parameters || {}).max_bytes) || MAX_VIDEO_BYTES : MAX_FILE_BYTES;
    const box = el("div", { class: "media" });
    const status = el("p", { class: "media-status", role: "status" });
    const show = async () => {
      box.replaceChildren();
      if (ctx.value) {
        if (video) {
          const url = await objectUrl(ctx.value);
          if (url) box.append(el("video", { controls: true, src: url, class: "preview", "aria-label": _("Video taken for this question") }));
        } else {
          box.append(el("p", { class: "place-shown" }, ctx.view.fileName(ctx.value) || _("File attached")));
        }
        box.append(el("button", {
          type: "button", class: "secondary",
          onclick: () => { ctx.set(undefined); ctx.value = undefined; show(); },
        }, video ? _("Remove the video") : _("Remove the file")));
      }
      if (video) box.append(fileButton(ctx, _("Record a video"), "camera", "environment", store, "video/*"));
      box.append(fileButton(ctx, video ? _("Choose a video") : _("Choose a file"), "file", false, store, video ? "video/*" : ""), status);
    };
    const store = async (file) => {
      if (file.size > limit) {
        status.textContent = _("This file is too large: at most %(size)s.", { size: formatBytes(limit) });
        return;
      }
      status.textContent = _("Saving the file…");
      try {
        const { sha256 } = await putAttachment(file);
        ctx.view.rememberFileName(sha256, file.name);
        ctx.value = sha256;
        ctx.set(sha256);
        await show();
        status.textContent = _("File saved on this phone.");
      } catch {
        status.textContent = _("Could not save on this phone. Free some space.");
      }
    };
    show();
    return box;
  };
}

export const MEDIA_WIDGETS = {
  photo: [photo, true], audio: [audio, true], video: [storedFile("video"), true], file: [storedFile("file"), true],
};

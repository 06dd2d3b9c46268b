// Controls for the simple question types. Each widget gets a context {q, id, value,
// set(value), text(labelObject), describedBy, readOnly, required} and returns its control.
// Answers are stored as the API expects them (docs/survey-format.md); text that is not
// yet a valid number is kept as typed, so nothing the user wrote is lost.
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";
import { localDateTime, rangeOf } from "./logic.js";
import { selectControl } from "./select.js";

const has = (q, word) => ` ${q.appearance || ""} `.includes(` ${word} `);

function common(ctx) {
  return { id: ctx.id, name: ctx.id, "aria-describedby": ctx.describedBy, disabled: ctx.readOnly };
}

// A text box that reports every keystroke; the interview debounces the saving.
function textBox(ctx, attrs, toAnswer, toText) {
  return el("input", {
    ...common(ctx), autocomplete: "off",
    value: ctx.value === undefined || ctx.value === null ? "" : toText(ctx.value),
    oninput: (event) => ctx.set(toAnswer(event.target.value)),
    ...attrs,
  });
}

function text(ctx) {
  const max = ctx.q.max_length || 2000;
  const attrs = { ...common(ctx), maxlength: String(max) };
  const onInput = (event) => ctx.set(event.target.value === "" ? undefined : event.target.value);
  const value = typeof ctx.value === "string" ? ctx.value : ctx.value === undefined ? "" : String(ctx.value);
  // a long answer (an explicit max_length over 200, or appearance multiline) gets a text area
  if ((ctx.q.max_length || 0) > 200 || has(ctx.q, "multiline")) {
    return el("textarea", { ...attrs, rows: has(ctx.q, "multiline") ? "5" : "4", oninput: onInput }, value);
  }
  return el("input", {
    ...attrs, type: "text", autocomplete: "off", value, oninput: onInput,
    inputmode: has(ctx.q, "numbers") ? "numeric" : null,
  });
}

function numberAnswer(raw, whole) {
  const trimmed = raw.trim();
  if (trimmed === "") return undefined;
  const normal = trimmed.replace(",", ".");
  const pattern = whole ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
  return pattern.test(normal) ? Number(normal) : trimmed;
}

function integer(ctx) {
  return textBox(ctx, { type: "text", inputmode: "numeric", class: "short" },
    (raw) => numberAnswer(raw, true), String);
}

function decimal(ctx) {
  return textBox(ctx, { type: "text", inputmode: "decimal", class: "short" },
    (raw) => numberAnswer(raw, false), String);
}

const pad = (n) => String(n).padStart(2, "0");

// no-calendar: day, month and year typed or chosen, no calendar to page through
function dateParts(ctx) {
  const [y = "", m = "", d = ""] = typeof ctx.value === "string" ? ctx.value.split("-") : [];
  const parts = { y, m, d };
  const update = () => {
    const complete = /^\d{4}$/.test(parts.y) && parts.m && parts.d;
    ctx.set(complete ? `${parts.y}-${pad(parts.m)}-${pad(parts.d)}` : (parts.y || parts.m || parts.d ? `${parts.y}-${parts.m}-${parts.d}` : undefined));
  };
  const numberSelect = (key, label, count, suffix) => el("label", { class: "date-part" }, label,
    el("select", {
      id: `${ctx.id}-${suffix}`, "aria-describedby": ctx.describedBy, disabled: ctx.readOnly,
      onchange: (event) => { parts[key] = event.target.value; update(); },
    }, el("option", { value: "" }, "—"),
    ...Array.from({ length: count }, (_unused, i) => el("option", { value: pad(i + 1), selected: Number(parts[key]) === i + 1 }, String(i + 1)))));
  return el("div", { class: "date-parts" },
    numberSelect("d", _("Day"), 31, "day"),
    numberSelect("m", _("Month"), 12, "month"),
    el("label", { class: "date-part" }, _("Year"), el("input", {
      id: ctx.id, type: "text", inputmode: "numeric", maxlength: "4", class: "year", value: parts.y,
      "aria-describedby": ctx.describedBy, disabled: ctx.readOnly,
      oninput: (event) => { parts.y = event.target.value.trim(); update(); },
    })));
}

function date(ctx) {
  if (has(ctx.q, "no-calendar")) return dateParts(ctx);
  return el("input", {
    ...common(ctx), type: "date", class: "short", value: ctx.value || "",
    onchange: (event) => ctx.set(event.target.value || undefined),
  });
}

function time(ctx) {
  return el("input", {
    ...common(ctx), type: "time", class: "short", value: typeof ctx.value === "string" ? ctx.value.slice(0, 5) : "",
    onchange: (event) => ctx.set(event.target.value || undefined),
  });
}

// A local date and time, stored with the phone's offset
function datetime(ctx) {
  const shown = typeof ctx.value === "string" ? ctx.value.slice(0, 16) : "";
  return el("input", {
    ...common(ctx), type: "datetime-local", class: "short", value: shown,
    onchange: (event) => {
      const raw = event.target.value;
      if (!raw) { ctx.set(undefined); return; }
      const local = new Date(raw);
      ctx.set(Number.isNaN(local.getTime()) ? raw : localDateTime(local));
    },
  });
}

function acknowledge(ctx) {
  return el("label", { class: "choice acknowledge", for: ctx.id },
    el("input", {
      id: ctx.id, type: "checkbox", name: ctx.id, checked: ctx.value === "OK", disabled: ctx.readOnly,
      "aria-describedby": ctx.describedBy,
      onchange: (event) => ctx.set(event.target.checked ? "OK" : undefined),
    }),
    el("span", {}, _("OK, I confirm")));
}

function range(ctx) {
  const { start, end, step } = rangeOf(ctx.q);
  const low = Math.min(start, end);
  const high = Math.max(start, end);
  const set = typeof ctx.value === "number";
  const output = el("output", { class: "range-value", for: ctx.id, "aria-live": "polite" }, set ? String(ctx.value) : "—");
  const slider = el("input", {
    ...common(ctx), type: "range", min: String(low), max: String(high), step: String(step),
    value: String(set ? ctx.value : low), class: set ? "range" : "range unset",
    oninput: (event) => {
      const value = Number(event.target.value);
      output.textContent = String(value);
      slider.classList.remove("unset");
      ctx.set(value);
    },
  });
  return el("div", { class: "range-box" },
    el("span", { class: "range-end" }, String(start)), slider, el("span", { class: "range-end" }, String(end)), output);
}

// Typed, or read by the camera where the browser can detect barcodes
function barcode(ctx) {
  const status = el("p", { class: "media-status", role: "status" });
  const input = el("input", {
    ...common(ctx), type: "text", autocomplete: "off", value: ctx.value || "",
    oninput: (event) => ctx.set(event.target.value.trim() === "" ? undefined : event.target.value.trim()),
  });
  const box = el("div", { class: "barcode" }, input);
  if (typeof globalThis.BarcodeDetector === "function" && navigator.mediaDevices && !ctx.readOnly) {
    box.append(el("button", { type: "button", class: "secondary", onclick: () => scan(ctx, input, status, box) }, _("Scan with the camera")));
  }
  box.append(status);
  return box;
}

async function scan(ctx, input, status, box) {
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  } catch {
    status.textContent = _("The camera could not be used. Type the code instead.");
    return;
  }
  const video = el("video", { class: "scanner", muted: true, playsinline: true });
  video.srcObject = stream;
  const stop = () => { stream.getTracks().forEach((t) => t.stop()); video.remove(); cancel.remove(); };
  const cancel = el("button", { type: "button", class: "secondary", onclick: () => { done = true; stop(); } }, _("Cancel"));
  box.append(video, cancel);
  status.textContent = _("Point the camera at the code.");
  let done = false;
  const detector = new globalThis.BarcodeDetector();
  await video.play().catch(() => {});
  const started = Date.now();
  while (!done && Date.now() - started < 60000) {
    try {
      const codes = await detector.detect(video);
      if (codes.length) {
        input.value = codes[0].rawValue;
        ctx.set(codes[0].rawValue);
        status.textContent = _("Code read.");
        break;
      }
    } catch { /* a frame that could not be read */ }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!done) stop();
}

export function ratingWords() {
  return [_("Very bad"), _("Bad"), _("So-so"), _("Good"), _("Very good")];
}

function rating(ctx) {
  const words = ratingWords();
  return el("div", { class: "rating" }, ...words.map((word, index) => {
    const value = index + 1;
    const id = `${ctx.id}-${value}`;
    return el("label", { for: id, class: "star" },
      el("input", {
        id, type: "radio", name: ctx.id, value: String(value), checked: ctx.value === value,
        disabled: ctx.readOnly, onchange: () => ctx.set(value),
      }),
      el("span", { class: "stars", "aria-hidden": "true" }, "★".repeat(value)),
      el("span", {}, `${value} · ${word}`));
  }));
}

function note() {
  return null;
}

// type → [build(ctx), is a group of controls (fieldset/legend) rather than one labelled control]
export const WIDGETS = {
  text: [text, false],
  integer: [integer, false],
  decimal: [decimal, false],
  date: [date, false],
  time: [time, false],
  datetime: [datetime, false],
  acknowledge: [acknowledge, true],
  range: [range, false],
  barcode: [barcode, false],
  select_one: [selectControl, true],
  select_multiple: [selectControl, true],
  rating: [rating, true],
  note: [note, false],
};

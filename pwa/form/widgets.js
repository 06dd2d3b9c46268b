// Controls for the simple question types. Each widget gets a context
// {q, id, value, set(value), text(labelObject), describedBy} and returns its control node.
// Answers are stored as the API expects them (docs/survey-format.md); text that is not
// yet a valid number is kept as typed, so nothing the user wrote is lost.
import { _ } from "../i18n.js";
import { el } from "../ui/dom.js";

// A text box that reports every keystroke; the interview debounces the saving.
function textBox(ctx, attrs, toAnswer, toText) {
  return el("input", {
    id: ctx.id, name: ctx.q.id, autocomplete: "off", "aria-describedby": ctx.describedBy,
    value: ctx.value === undefined || ctx.value === null ? "" : toText(ctx.value),
    oninput: (event) => ctx.set(toAnswer(event.target.value)),
    ...attrs,
  });
}

function text(ctx) {
  const max = ctx.q.max_length || 2000;
  const attrs = { id: ctx.id, name: ctx.q.id, maxlength: String(max), "aria-describedby": ctx.describedBy };
  const onInput = (event) => ctx.set(event.target.value === "" ? undefined : event.target.value);
  if (max > 200) {
    return el("textarea", { ...attrs, rows: "4", oninput: onInput }, ctx.value || "");
  }
  return el("input", { ...attrs, type: "text", autocomplete: "off", value: ctx.value || "", oninput: onInput });
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

function date(ctx) {
  return el("input", {
    id: ctx.id, name: ctx.q.id, type: "date", class: "short", value: ctx.value || "",
    "aria-describedby": ctx.describedBy,
    onchange: (event) => ctx.set(event.target.value || undefined),
  });
}

function choiceList(ctx, type) {
  const chosen = type === "radio" ? [ctx.value] : (Array.isArray(ctx.value) ? ctx.value : []);
  const list = el("div", { class: "choices" });
  for (const [index, choice] of (ctx.q.choices || []).entries()) {
    const id = `${ctx.id}-${index}`;
    list.append(el("label", { class: "choice", for: id },
      el("input", {
        id, type, name: ctx.q.id, value: choice.value, checked: chosen.includes(choice.value),
        onchange: () => {
          if (type === "radio") ctx.set(choice.value);
          else ctx.set([...list.querySelectorAll("input:checked")].map((input) => input.value));
        },
      }),
      el("span", {}, ctx.text(choice.label))));
  }
  return list;
}

function selectOne(ctx) {
  if (/\bminimal\b/.test(ctx.q.appearance || "")) {
    return el("select", {
      id: ctx.id, name: ctx.q.id, "aria-describedby": ctx.describedBy,
      onchange: (event) => ctx.set(event.target.value || undefined),
    },
    el("option", { value: "" }, _("Choose…")),
    ...(ctx.q.choices || []).map((choice) => el("option", {
      value: choice.value, selected: ctx.value === choice.value,
    }, ctx.text(choice.label))));
  }
  const list = choiceList(ctx, "radio");
  if (!ctx.q.required) {
    list.append(el("button", {
      type: "button", class: "link",
      onclick: () => {
        list.querySelectorAll("input").forEach((input) => { input.checked = false; });
        ctx.set(undefined);
      },
    }, _("Clear answer")));
  }
  return list;
}

function selectMultiple(ctx) {
  return choiceList(ctx, "checkbox");
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
        id, type: "radio", name: ctx.q.id, value: String(value), checked: ctx.value === value,
        onchange: () => ctx.set(value),
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
  select_one: [selectOne, true],
  select_multiple: [selectMultiple, true],
  rating: [rating, true],
  note: [note, false],
};

// Select questions: large radio / checkbox rows (laid out by appearance: columns,
// columns-N, horizontal, horizontal-compact, likert), a drop-down for `minimal`, and a
// search box with at most 50 rows shown for long lists (over 30 choices, or appearance
// search / autocomplete) — a 50,000-row list never becomes 50,000 DOM nodes.
import { _, ngettext } from "../i18n.js";
import { el } from "../ui/dom.js";
import { baseList, choiceLabel, searchRows } from "./choices.js";
import { loadChoiceList } from "./files.js";
import { audioPrompt } from "./prompts.js";

export const LONG_LIST = 30;
const SHOWN = 50;

const appearance = (q) => ` ${q.appearance || ""} `;
const has = (q, word) => appearance(q).includes(` ${word} `);

function layoutClass(q) {
  const a = appearance(q);
  const columns = /\scolumns-(\d+)\s/.exec(a);
  if (columns) return `choices columns columns-${Math.min(6, Number(columns[1]))}`;
  if (has(q, "columns")) return "choices columns";
  if (has(q, "likert")) return "choices likert";
  if (has(q, "horizontal-compact")) return "choices horizontal-compact";
  if (has(q, "horizontal")) return "choices horizontal";
  return "choices";
}

function chosenOf(ctx, multiple) {
  if (multiple) return Array.isArray(ctx.value) ? ctx.value : [];
  return ctx.value === undefined ? [] : [ctx.value];
}

function row(ctx, choice, index, multiple, onChange) {
  const id = `${ctx.id}-${index}`;
  const chosen = chosenOf(ctx, multiple);
  const label = choiceLabel(choice, ctx.text);
  const listen = choice.media ? audioPrompt(choice.media, ctx.view, label) : null;
  const box = el("label", { class: "choice", for: id },
    el("input", {
      id, type: multiple ? "checkbox" : "radio", name: ctx.id, value: choice.value,
      checked: chosen.includes(choice.value), disabled: ctx.readOnly,
      onchange: (event) => onChange(choice.value, event.target.checked),
    }),
    el("span", {}, label));
  return listen ? el("div", { class: "choice-row" }, box, listen) : box;
}

function clearButton(ctx, list) {
  return el("button", {
    type: "button", class: "link",
    onclick: () => {
      list.querySelectorAll("input").forEach((input) => { input.checked = false; });
      ctx.set(undefined);
    },
  }, _("Clear answer"));
}

function dropDown(ctx, rows) {
  return el("select", {
    id: ctx.id, name: ctx.id, "aria-describedby": ctx.describedBy, disabled: ctx.readOnly,
    onchange: (event) => ctx.set(event.target.value || undefined),
  },
  el("option", { value: "" }, _("Choose…")),
  ...rows.map((choice) => el("option", { value: choice.value, selected: ctx.value === choice.value },
    choiceLabel(choice, ctx.text))));
}

// Long lists: a search box and the first matches (the chosen answers always shown).
function searchList(ctx, rows, multiple) {
  const list = baseList(ctx.view.form, ctx.node);
  const results = el("div", { class: layoutClass(ctx.q), id: `${ctx.id}-results` });
  const more = el("p", { class: "hint", role: "status" });
  let query = "";
  const pick = (value, checked) => {
    if (!multiple) ctx.set(value);
    else {
      const now = new Set(chosenOf(ctx, true));
      if (checked) now.add(value);
      else now.delete(value);
      ctx.set(now.size ? rows.filter((r) => now.has(r.value)).map((r) => r.value)
        .concat([...now].filter((v) => !rows.some((r) => r.value === v))) : undefined);
    }
  };
  const show = () => {
    const chosen = new Set(chosenOf(ctx, multiple));
    const found = searchRows(list, rows, query, ctx.view.lang, ctx.text, SHOWN + 1);
    const shown = rows.filter((r) => chosen.has(r.value) && !found.includes(r)).concat(found.slice(0, SHOWN));
    results.replaceChildren(...shown.map((choice, index) => row(ctx, choice, index, multiple, pick)));
    if (!found.length) more.textContent = _("Nothing found. Write less, or check the spelling.");
    else if (found.length > SHOWN) more.textContent = ngettext("Only the first %(count)s is shown: write more to narrow the list.", "Only the first %(count)s are shown: write more to narrow the list.", SHOWN);
    else more.textContent = "";
  };
  const search = el("input", {
    type: "search", id: `${ctx.id}-search`, class: "search", autocomplete: "off", enterkeyhint: "search",
    "aria-label": _("Search the list"), "aria-controls": `${ctx.id}-results`, placeholder: _("Search…"),
    oninput: (event) => { query = event.target.value; show(); },
  });
  show();
  return el("div", { class: "search-select" }, search, more, results);
}

export function selectControl(ctx) {
  const multiple = ctx.q.type === "select_multiple";
  if (!ctx.choices) {
    const status = el("p", { class: "media-status", role: "status" }, _("Loading the list…"));
    loadChoiceList(ctx.view.survey, ctx.q.choices_from)
      .then(() => ctx.view.rebuild(ctx.node, ctx.at))
      .catch(() => { status.textContent = _("The list of this question is not on this phone yet. Open the app once with signal."); });
    return status;
  }
  const rows = ctx.choices;
  if (!rows.length) return el("p", { class: "hint" }, _("No options for the answers given so far."));
  if (!multiple && has(ctx.q, "minimal") && rows.length <= 1000) return dropDown(ctx, rows);
  if (rows.length > LONG_LIST || has(ctx.q, "search") || has(ctx.q, "autocomplete")) {
    return searchList(ctx, rows, multiple);
  }
  const list = el("div", { class: layoutClass(ctx.q) });
  const onChange = (value) => {
    if (!multiple) ctx.set(value);
    else ctx.set([...list.querySelectorAll("input:checked")].map((input) => input.value));
  };
  rows.forEach((choice, index) => list.append(row(ctx, choice, index, multiple, onChange)));
  if (!multiple && !ctx.required && !ctx.readOnly) list.append(clearButton(ctx, list));
  return list;
}

// whether the control is a group of inputs (fieldset + legend) or one labelled control
export function selectIsGroup(q, rows) {
  return !(q.type === "select_one" && has(q, "minimal") && rows && rows.length && rows.length <= 1000);
}

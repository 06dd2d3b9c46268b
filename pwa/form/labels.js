// Texts of a question as the interview shows them: `${id}` inside a label or hint is
// replaced by the current answer of that question (its choice label for selects), read
// in the Scope of the instance the text belongs to; and answers as readable text.
import { _ } from "../i18n.js";
import { describePoint } from "./geo.js";
import { labelOfValue } from "./choices.js";
import { compileExpression } from "./expr.js";
import { formatTime } from "../ui/dom.js";
import { ratingWords } from "./widgets.js";

const OUTPUT = /\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

export function hasOutputs(text) {
  return typeof text === "string" && text.includes("${");
}

// "2026-04-02" → "02/04/2026" (glossary: numeric dates, four-digit years)
export function formatDate(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  return m ? `${m[3]}/${m[2]}/${m[1]}` : String(value);
}

// An answer as a person reads it. view: {form, text}
export function answerText(node, value, view) {
  if (value === undefined || value === null || value === "") return "";
  const q = node.item;
  switch (q.type) {
    case "select_one":
      return labelOfValue(view.form, node, value, view.text);
    case "select_multiple":
      return (Array.isArray(value) ? value : String(value).split(/\s+/).filter(Boolean))
        .map((v) => labelOfValue(view.form, node, v, view.text)).join(", ");
    case "date":
      return formatDate(value);
    case "datetime":
      return formatTime(value) || String(value);
    case "geopoint":
      return value && typeof value.lat === "number" ? describePoint(value) : String(value);
    case "rating": {
      // the star widget's own word with the number: "★★ 2 · Bad"
      const word = ratingWords()[Number(value) - 1];
      return `${"★".repeat(Number(value) || 0)} ${value}${word ? ` · ${word}` : ""}`;
    }
    case "acknowledge":
      return value === "OK" ? _("Confirmed") : String(value);
    case "photo":
      return _("Photo attached");
    case "audio":
      return _("Recording attached");
    case "video":
      return _("Video attached");
    case "file":
      return (view.fileName && view.fileName(value)) || _("File attached");
    default:
      return Array.isArray(value) ? value.join(", ") : String(value);
  }
}

// A survey text (object by language) with its outputs filled in for the instance `at`.
// view: {form, text, judged}
export function fillText(textObject, at, view) {
  const raw = view.text(textObject);
  if (!hasOutputs(raw)) return raw;
  const scope = view.judged.scopes.at(at);
  return raw.replace(OUTPUT, (match, id) => {
    const node = view.form.find(id);
    const rule = compileExpression(`\${${id}}`, { wrap: "string" });
    if (!node || !rule) return match;
    const value = String(rule.evaluate(scope, { today: view.judged.today, now: view.judged.now }));
    if (value === "") return "";
    if (node.type === "select_one" || node.type === "select_multiple") return answerText(node, value, view);
    return value;
  });
}

// Expressions as the form engine uses them: each text parsed once (a survey's expressions
// are parsed at most once per app start), and evaluated in the Scope of one repeat
// instance (docs/expressions.md, pwa/expressions.js). An expression that does not parse
// is null: the server refuses such surveys, and an interview is never blocked by one.
import * as expressions from "../expressions.js";
import { instancePath } from "./structure.js";

const parsed = new Map();

export function compileExpression(text, { choiceFilter = false, wrap = null } = {}) {
  if (typeof text !== "string" || !text.trim()) return null;
  const source = wrap ? `${wrap}(${text})` : text;
  const cacheKey = `${choiceFilter ? "f" : "e"}:${source}`;
  if (!parsed.has(cacheKey)) {
    let expression = null;
    try {
      expression = choiceFilter ? expressions.parse(source, { choiceFilter: true }) : expressions.parse(source);
    } catch {
      expression = null;
    }
    parsed.set(cacheKey, expression);
  }
  return parsed.get(cacheKey);
}

export const references = (expression) => (expression ? [...expression.references] : []);

// Without the Scope of the repeat-aware evaluator, a flat view: the top-level answers with
// the answers of each enclosing instance laid over them.
function flatView(answers, at) {
  if (!at.length) return answers;
  const view = { ...answers };
  let box = answers;
  for (const [repeat, index] of at) {
    box = box && Array.isArray(box[repeat]) ? box[repeat][index] : null;
    if (box) Object.assign(view, box);
  }
  return view;
}

// One Scope per instance, made once per pass over the answers (the Scope reads the
// answers object itself, so answers dropped later in the pass are seen as dropped).
export class Scopes {
  constructor(form, answers, labels = null) {
    this.form = form;
    this.answers = answers;
    this.labels = labels;
    this.made = new Map();
  }

  at(at) {
    const path = instancePath(at);
    let scope = this.made.get(path);
    if (scope) return scope;
    if (typeof expressions.Scope !== "function") {
      scope = flatView(this.answers, at);
    } else if (!at.length) {
      scope = new expressions.Scope(this.answers, this.form.ancestors, [], this.labels);
    } else {
      const [repeat, index] = at[at.length - 1];
      scope = this.at(at.slice(0, -1)).within(repeat, index);
    }
    this.made.set(path, scope);
    return scope;
  }
}

// Computed answers: `calculation` (of calculate, hidden and answered questions), `trigger`,
// `default`, the metadata the app fills in, and repeat instances made to follow
// `repeat_count`. A dependency graph is built once per survey from the expressions'
// references: after a change only the calculations downstream of it are recomputed, in
// topological order, in every instance of their repeat. Calculated values are stored as
// the string() of their value ("" = absent), answered types in their own form.
import { compileExpression } from "./expr.js";
import { judge, localDateTime, today, unanswered } from "./logic.js";
import { compile, container, forEachInstance, getAnswer, key, setAnswer } from "./structure.js";

const STRING_TYPES = new Set(["calculate", "hidden", "meta"]);
const graphs = new WeakMap();
const MAX_ROUNDS = 4;

// A literal (a `default`, or a calculation's string) as an answer of the question's type.
export function typedValue(q, text) {
  if (text === undefined || text === null) return undefined;
  const raw = String(text);
  if (raw === "") return undefined;
  switch (q.type) {
    case "integer":
    case "rating":
      return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    case "decimal":
    case "range":
      return /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
    case "select_multiple":
      return raw.split(/\s+/).filter(Boolean);
    default:
      return raw;
  }
}

function relevanceRefs(form, node) {
  const refs = new Set();
  const add = (rule) => {
    for (const r of compileExpression(rule)?.references || []) refs.add(r);
  };
  add(node.item.relevance);
  for (const outer of node.containers) {
    add(outer.item.relevance);
    if (outer.kind === "repeat") {
      refs.add(outer.id);
      if (outer.item.repeat_count !== undefined) add(String(outer.item.repeat_count));
    }
  }
  const page = form.pages[node.page];
  if (page) add(page.page.relevance);
  return refs;
}

// The graph of one survey: {calcs (topological order), dependents: id → [calc nodes],
// judgeRefs: ids that relevance / repeat_count depend on}
export function graphOf(definition) {
  let graph = graphs.get(definition);
  if (graph) return graph;
  const form = compile(definition);
  const calcs = form.questions.filter((n) => n.item.calculation !== undefined && n.item.calculation !== "");
  const expressionOf = new Map(calcs.map((n) => [n, compileExpression(n.item.calculation, { wrap: "string" })]));
  const dependents = new Map();
  const sourcesOf = new Map();
  const relevanceCache = new Map();
  const relevanceOf = (id) => {
    if (!relevanceCache.has(id)) {
      const target = form.find(id);
      relevanceCache.set(id, target ? relevanceRefs(form, target) : new Set());
    }
    return relevanceCache.get(id);
  };
  for (const node of calcs) {
    const sources = new Set();
    if (node.item.trigger) {
      sources.add(node.item.trigger);
    } else {
      for (const ref of expressionOf.get(node)?.references || []) {
        sources.add(ref);
        for (const r of relevanceOf(ref)) sources.add(r);
      }
      // a new or removed instance (position(..)), or its container coming back
      for (const r of relevanceOf(node.id)) sources.add(r);
    }
    sourcesOf.set(node, sources);
    for (const source of sources) {
      if (!dependents.has(source)) dependents.set(source, []);
      dependents.get(source).push(node);
    }
  }
  // Kahn's algorithm over calculation → calculation edges; a cycle (refused when the
  // survey is published) falls back to document order
  const byId = new Map(calcs.map((n) => [n.id, n]));
  const waiting = new Map(calcs.map((n) => [n, 0]));
  for (const node of calcs) {
    for (const source of sourcesOf.get(node)) if (byId.has(source) && byId.get(source) !== node) waiting.set(node, waiting.get(node) + 1);
  }
  const ready = calcs.filter((n) => waiting.get(n) === 0);
  const ordered = [];
  while (ready.length) {
    const node = ready.shift();
    ordered.push(node);
    for (const next of dependents.get(node.id) || []) {
      if (next === node) continue;
      waiting.set(next, waiting.get(next) - 1);
      if (waiting.get(next) === 0) ready.push(next);
    }
  }
  for (const node of calcs) if (!ordered.includes(node)) ordered.push(node);
  const rank = new Map(ordered.map((n, i) => [n, i]));

  const judgeRefs = new Set();
  for (const node of form.order) {
    for (const r of compileExpression(node.item.relevance)?.references || []) judgeRefs.add(r);
    if (node.kind === "repeat" && node.item.repeat_count !== undefined) {
      for (const r of compileExpression(String(node.item.repeat_count))?.references || []) judgeRefs.add(r);
    }
  }
  for (const { page } of form.pages) {
    for (const r of compileExpression(page.relevance)?.references || []) judgeRefs.add(r);
  }
  graph = { form, calcs: ordered, dependents, rank, expressionOf, judgeRefs };
  graphs.set(definition, graph);
  return graph;
}

// The calculations to redo after `changed` ids changed, in topological order.
export function downstream(graph, changed) {
  const found = new Set();
  const queue = [...changed];
  while (queue.length) {
    const id = queue.pop();
    for (const node of graph.dependents.get(id) || []) {
      if (found.has(node)) continue;
      found.add(node);
      queue.push(node.id);
    }
  }
  return [...found].sort((a, b) => graph.rank.get(a) - graph.rank.get(b));
}

function same(a, b) {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return false;
}

// Evaluates `nodes` in every instance present in judged.effective; writes changed values
// into the answers (and the effective tree). `fresh`: answered questions get their
// computed default only when still unanswered. Returns the ids whose value changed.
export function run(graph, answers, judged, nodes, { fresh = false, language = null } = {}) {
  const changed = new Set();
  for (const node of nodes) {
    const expression = graph.expressionOf.get(node);
    if (!expression) continue;
    forEachInstance(judged.effective, node.repeats, (at) => {
      const current = getAnswer(answers, node.id, at);
      if (fresh && !STRING_TYPES.has(node.type) && !unanswered(current)) return;
      const text = String(expression.evaluate(judged.scopes.at(at), {
        current: current === undefined ? "" : current, today: judged.today, now: judged.now, language,
      }));
      const value = STRING_TYPES.has(node.type) ? (text === "" ? undefined : text) : typedValue(node.item, text);
      if (same(value, current)) return;
      setAnswer(answers, node.id, at, value);
      if (judged.relevant.has(key(node.id, at))) {
        const box = at.length ? container(judged.effective, at) : judged.effective;
        if (box) {
          if (value === undefined) delete box[node.id];
          else box[node.id] = value;
        }
      }
      changed.add(node.id);
    });
  }
  return changed;
}

// ---- defaults, metadata and instances ----

// Defaults of the questions directly in one instance (or at top level for repeatId null).
export function applyDefaults(form, answers, at, meta = {}) {
  const repeatId = at.length ? at[at.length - 1][0] : null;
  for (const node of form.questions) {
    const inside = node.repeats.length ? node.repeats[node.repeats.length - 1] : null;
    if (inside !== repeatId || node.repeats.length !== at.length) continue;
    if (getAnswer(answers, node.id, at) !== undefined) continue;
    let value;
    if (node.type === "meta") value = metaValue(node.item.meta, meta);
    else if (node.item.default !== undefined && node.item.default !== null && node.item.default !== "") {
      value = STRING_TYPES.has(node.type) ? String(node.item.default) : typedValue(node.item, node.item.default);
    }
    if (value !== undefined) setAnswer(answers, node.id, at, value);
  }
}

function metaValue(kind, meta) {
  switch (kind) {
    case "start": return localDateTime(meta.now || new Date());
    case "today": return today(meta.now || new Date());
    case "deviceid": return meta.deviceid || undefined;
    case "username": return meta.username || undefined;
    default: return undefined; // end: at finish; phonenumber: not known to a web app; audit: none
  }
}

// Metadata filled at the end of the interview ("end").
export function finishMeta(form, answers, now = new Date()) {
  for (const node of form.questions) {
    if (node.type === "meta" && node.item.meta === "end" && !node.repeats.length) {
      setAnswer(answers, node.id, [], localDateTime(now));
    }
  }
}

// Makes the instances a repeat_count asks for (with their defaults); ids of the repeats
// that got new instances.
function followCounts(form, answers, judged, meta) {
  const grown = new Set();
  for (const { node, at, n } of judged.counts) {
    const box = container(answers, at, true);
    if (!Array.isArray(box[node.id])) box[node.id] = [];
    const list = box[node.id];
    while (list.length < n) {
      list.push({});
      applyDefaults(form, answers, [...at, [node.id, list.length - 1]], meta);
      grown.add(node.id);
    }
  }
  return grown;
}

// The engine of one interview. settle(changed ids) brings calculations, counts and
// relevance up to date and returns {judged, changed: every id whose value or relevance
// may have changed, structure: whether instances were added}.
export function createEngine(definition, answers, options = {}) {
  const graph = graphOf(definition);
  const form = graph.form;
  const judgeOptions = () => ({ today: options.today || today(), now: options.now || new Date(), labels: options.labels });

  function settle(changed = new Set(), { initial = false, fresh = false } = {}) {
    const all = new Set(changed);
    let judged = judge(definition, answers, judgeOptions());
    let structure = false;
    let pending = new Set(changed);
    let first = true;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const grown = followCounts(form, answers, judged, options.meta || {});
      if (grown.size) {
        structure = true;
        for (const id of grown) { pending.add(id); all.add(id); }
        judged = judge(definition, answers, judgeOptions());
      }
      const nodes = initial && first ? graph.calcs.filter((n) => !n.item.trigger) : downstream(graph, pending);
      first = false;
      const computed = run(graph, answers, judged, nodes, { fresh, language: options.language });
      for (const id of computed) all.add(id);
      // relevance and counts were judged with the old values: judge again
      if (![...computed].some((id) => graph.judgeRefs.has(id))) break;
      judged = judge(definition, answers, judgeOptions());
      pending = computed;
    }
    return { judged, changed: all, structure };
  }

  return { form, graph, settle };
}

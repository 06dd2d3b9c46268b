// The shape of a survey definition (docs/survey-format.md), walked once per definition:
// pages → items → groups / repeats → questions, each item with its enclosing containers
// and repeats (the `ancestors` map the expression Scope needs), in document order; and
// the answers tree: repeats are arrays of instance objects, addressed by `at`, a list of
// [repeatId, index0] pairs from the outside in. An answer's path is "members[0].age".
// No DOM here.

// types that hold no answer of their own, and answered types never shown on a page
export const UNANSWERED_TYPES = new Set(["note", "group", "repeat"]);
export const UNSHOWN_TYPES = new Set(["calculate", "hidden", "meta"]);
export const FILE_TYPES = new Set(["photo", "audio", "video", "file"]);
export const MAX_INSTANCES = 500; // as the server (server/submissions/answers.py)

const compiled = new WeakMap();

// A node: {id, kind: "question"|"group"|"repeat", item (the definition object), type,
// page (index), parent (container node or null), containers (enclosing groups/repeats,
// outermost first), repeats (ids of enclosing repeats), children (containers), index
// (document order), shown, answered, virtual (the or_other text)}
export function compile(definition) {
  let form = compiled.get(definition);
  if (form) return form;
  const nodes = new Map();
  const order = [];
  const ancestors = {};
  const pages = [];

  const add = (item, page, parent, containers, repeats, virtual = null) => {
    const kind = item.type === "group" || item.type === "repeat" ? item.type : "question";
    const node = {
      id: item.id, kind, item, type: item.type, page, parent, containers, repeats, children: [],
      index: order.length, virtual,
      shown: kind !== "question" || !UNSHOWN_TYPES.has(item.type),
      answered: kind === "question" && item.type !== "note",
    };
    nodes.set(item.id, node);
    order.push(node);
    ancestors[item.id] = repeats;
    return node;
  };

  const walk = (items, page, parent, containers, repeats, into) => {
    for (const item of items || []) {
      if (!item || typeof item !== "object" || typeof item.id !== "string") continue;
      const node = add(item, page, parent, containers, repeats);
      into.push(node);
      if (node.kind !== "question") {
        const inner = node.kind === "repeat" ? [...repeats, item.id] : repeats;
        walk(item.questions, page, node, [...containers, node], inner, node.children);
      } else if (item.or_other && item.type && item.type.startsWith("select_")) {
        const other = {
          id: `${item.id}_other`, type: "text", max_length: 2000,
          relevance: `selected(\${${item.id}}, 'other')`,
        };
        into.push(add(other, page, parent, containers, repeats, item.id));
      }
    }
  };

  (definition.pages || []).forEach((page, index) => {
    const items = [];
    walk(page.questions, index, null, [], [], items);
    pages.push({ page, index, items });
  });

  form = {
    definition, nodes, order, ancestors, pages,
    questions: order.filter((n) => n.kind === "question"),
    find: (id) => nodes.get(id) || null,
  };
  compiled.set(definition, form);
  return form;
}

// ---- paths ----

export function instancePath(at) {
  let out = "";
  for (const [repeat, index] of at) out += `${out ? "." : ""}${repeat}[${index}]`;
  return out;
}

// "members[0].age" for the answer of age in the first member; "age" at top level.
export function key(id, at) {
  return at.length ? `${instancePath(at)}.${id}` : id;
}

// "members[1].kids[0].name" → {id: "name", at: [["members", 1], ["kids", 0]]}, or null.
export function parsePath(path) {
  if (typeof path !== "string" || !path) return null;
  const parts = path.split(".");
  const at = [];
  for (let i = 0; i < parts.length; i += 1) {
    const match = /^(.+?)\[(\d+)\]$/.exec(parts[i]);
    if (match) at.push([match[1], Number(match[2])]);
    else if (i === parts.length - 1) return { id: parts[i], at };
    else {
      // ids may contain dots: glue this part to the next one
      parts[i + 1] = `${parts[i]}.${parts[i + 1]}`;
    }
  }
  const last = at.pop();
  return last ? { id: last[0], at, index: last[1] } : null;
}

// DOM id of a question's control: "q-age" at top level, "q-age__0_2" inside instances.
export function controlId(id, at) {
  return at.length ? `q-${id}__${at.map(([, i]) => i).join("_")}` : `q-${id}`;
}

// ---- the answers tree ----

// The instance object at `at` (the answers object itself for []); with create, missing
// instances are made. Returns null when it does not exist.
export function container(answers, at, create = false) {
  let box = answers;
  for (const [repeat, index] of at) {
    let list = box[repeat];
    if (!Array.isArray(list)) {
      if (!create) return null;
      list = box[repeat] = [];
    }
    while (create && list.length <= index) list.push({});
    box = list[index];
    if (!box || typeof box !== "object") {
      if (!create) return null;
      box = list[index] = {};
    }
  }
  return box;
}

export function getAnswer(answers, id, at) {
  const box = at.length ? container(answers, at) : answers;
  return box ? box[id] : undefined;
}

export function setAnswer(answers, id, at, value) {
  const box = container(answers, at, true);
  if (value === undefined) delete box[id];
  else box[id] = value;
}

// Calls fn(at) for every instance in which node's answers live (one call, [], outside
// repeats). `counts(repeatId, at)` limits how many instances of each repeat are taken.
export function forEachInstance(answers, repeats, fn, counts = null, at = [], depth = 0) {
  if (depth === repeats.length) {
    fn(at);
    return;
  }
  const box = at.length ? container(answers, at) : answers;
  const list = box && Array.isArray(box[repeats[depth]]) ? box[repeats[depth]] : [];
  const limit = counts ? Math.min(list.length, counts(repeats[depth], at)) : list.length;
  for (let i = 0; i < limit; i += 1) {
    forEachInstance(answers, repeats, fn, counts, [...at, [repeats[depth], i]], depth + 1);
  }
}

// A deep copy of plain answers (arrays and objects), so drafts never share instances.
export function copyTree(value) {
  if (Array.isArray(value)) return value.map(copyTree);
  if (value && typeof value === "object") {
    const out = {};
    for (const k of Object.keys(value)) out[k] = copyTree(value[k]);
    return out;
  }
  return value;
}

// Choice lists of select questions: the definition's own `choices`, or a list read from a
// CSV / GeoJSON file of the version (`choices_from`), narrowed by `choice_filter` (an
// expression per choice: bare names are the choice's columns, `name` its value) and with
// `other` added for `or_other`. A list is prepared once: rows with their columns, and an
// index per column for the common `col = ${x}` filter, so a 50,000-row cascade answers
// in a few milliseconds. Searching ignores accents and case. No DOM here.
import { _ } from "../i18n.js";
import { compileExpression } from "./expr.js";
import { parseCsv } from "./csv.js";

const staticLists = new WeakMap(); // question item → prepared list
const fileLists = new Map(); // sha256 → prepared list
const NUMERIC = new Set(["integer", "decimal", "range", "rating"]);

export const OTHER = "other";

// Accent- and case-insensitive form of a text, for searching.
export function fold(text) {
  return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function prepare(rows) {
  return { rows, indexes: new Map(), folded: new Map(), values: null };
}

function staticList(q) {
  let list = staticLists.get(q);
  if (!list) {
    const rows = (q.choices || []).map((c) => ({
      value: String(c.value), label: c.label, media: c.media || null,
      columns: { ...(c.data || {}), ...(c.filter !== undefined ? { filter: c.filter } : {}), name: String(c.value) },
    }));
    if (q.or_other && !rows.some((r) => r.value === OTHER)) {
      rows.push({ value: OTHER, label: null, other: true, media: null, columns: { name: OTHER } });
    }
    list = prepare(rows);
    staticLists.set(q, list);
  }
  return list;
}

// "label::Español (es)" → "es"; "label::qu" → "qu"
function languageOf(suffix) {
  const code = /\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)\s*$/.exec(suffix);
  return (code ? code[1] : suffix).trim();
}

// Rows of a CSV or GeoJSON text as prepared list rows (value, label by language, columns).
export function listFromText(text, spec, { geojson = false, defaultLanguage = "es" } = {}) {
  const valueColumn = spec.value || "name";
  const labelColumn = spec.label || "label";
  let records;
  if (geojson) {
    const data = JSON.parse(text);
    records = (data.features || []).map((f) => {
      const props = { ...(f.properties || {}) };
      if (props[valueColumn] === undefined && f.id !== undefined) props[valueColumn] = f.id;
      return props;
    });
  } else {
    const table = parseCsv(text);
    const header = (table.shift() || []).map((h) => h.trim());
    records = table.filter((row) => row.some((cell) => cell !== "")).map((row) => {
      const record = {};
      header.forEach((name, i) => { if (name) record[name] = row[i] ?? ""; });
      return record;
    });
  }
  const labelColumns = [];
  const sample = records[0] || {};
  for (const name of Object.keys(sample)) {
    if (name.startsWith(`${labelColumn}::`)) labelColumns.push([name, languageOf(name.slice(labelColumn.length + 2))]);
  }
  const rows = [];
  for (const record of records) {
    const raw = record[valueColumn];
    if (raw === undefined || raw === null || String(raw).trim() === "") continue;
    const value = String(raw).trim();
    const label = {};
    for (const [column, lang] of labelColumns) if (record[column]) label[lang] = String(record[column]);
    if (record[labelColumn] !== undefined && record[labelColumn] !== "") {
      if (!label[defaultLanguage]) label[defaultLanguage] = String(record[labelColumn]);
    }
    const columns = {};
    for (const [name, cell] of Object.entries(record)) columns[name] = cell === null || cell === undefined ? "" : String(cell);
    columns.name = value;
    rows.push({ value, label: Object.keys(label).length ? label : value, media: null, columns });
  }
  return prepare(rows);
}

export function registerFileList(sha256, list) {
  fileLists.set(sha256, list);
}

export function fileListLoaded(sha256) {
  return fileLists.get(sha256) || null;
}

export function fileEntry(definition, name) {
  return (definition.files || []).find((f) => f.name === name) || null;
}

// The prepared list of a select (null while a file list is not loaded yet).
export function baseList(form, node) {
  const q = node.item;
  if (!q.choices_from) return staticList(q);
  const entry = fileEntry(form.definition, q.choices_from.file);
  if (!entry) return prepare([]);
  const list = fileLists.get(entry.sha256);
  if (!list) return null;
  if (!q.or_other || list.withOther) return list;
  // or_other on a file list: a copy of the rows with "other" added, kept per question
  const cached = staticLists.get(q);
  if (cached && cached.source === list) return cached;
  const copy = prepare([...list.rows, { value: OTHER, label: null, other: true, media: null, columns: { name: OTHER } }]);
  copy.source = list;
  copy.withOther = true;
  staticLists.set(q, copy);
  return copy;
}

function indexOf(list, column) {
  let index = list.indexes.get(column);
  if (!index) {
    index = new Map();
    for (const row of list.rows) {
      const cell = row.columns[column];
      const k = cell === undefined ? "" : cell;
      let bucket = index.get(k);
      if (!bucket) index.set(k, (bucket = []));
      bucket.push(row);
    }
    list.indexes.set(column, index);
  }
  return index;
}

const REF_EQ = /^\s*\(?\s*([A-Za-z_][\w.-]*)\s*=\s*\$\{([A-Za-z_][\w.-]*)\}\s*\)?\s*$/;
const REF_EQ_REVERSED = /^\s*\(?\s*\$\{([A-Za-z_][\w.-]*)\}\s*=\s*([A-Za-z_][\w.-]*)\s*\)?\s*$/;
const shortcuts = new Map();

// For `col = ${x}` (alone or first of an `and`), the column and the referenced id.
function shortcut(source) {
  if (!shortcuts.has(source)) {
    let found = null;
    const first = source.split(/\s+and\s+/)[0];
    if (!/['"]/.test(first)) {
      let match = REF_EQ.exec(first);
      if (match) found = { column: match[1], ref: match[2] };
      else if ((match = REF_EQ_REVERSED.exec(first))) found = { column: match[2], ref: match[1] };
    }
    shortcuts.set(source, found);
  }
  return shortcuts.get(source);
}

// The choices of a select in one scope, in list order (null while a file list loads).
export function choicesFor(form, node, scope) {
  const list = baseList(form, node);
  if (!list) return null;
  const source = node.item.choice_filter;
  const rule = compileExpression(source, { choiceFilter: true });
  if (!rule) return list.rows;
  let candidates = list.rows;
  const quick = shortcut(source);
  if (quick && !["and", "or", "div", "mod"].includes(quick.column)) {
    const target = form.find(quick.ref);
    if (target && !NUMERIC.has(target.type)) {
      const value = compileExpression(`\${${quick.ref}}`, { wrap: "string" });
      if (value) candidates = indexOf(list, quick.column).get(String(value.evaluate(scope))) || [];
    }
  }
  const out = [];
  for (const row of candidates) {
    if (row.other || rule.evaluateBool(scope, { choice: row.columns })) out.push(row);
  }
  return out;
}

// The values a select may take in a scope, or null when not known (list not loaded).
export function allowedValues(form, node, scope) {
  const rows = choicesFor(form, node, scope);
  if (!rows) return null;
  const list = baseList(form, node);
  if (rows === list.rows) {
    if (!list.values) list.values = new Set(list.rows.map((r) => r.value));
    return list.values;
  }
  return new Set(rows.map((r) => r.value));
}

export function choiceLabel(row, text) {
  return row.other ? _("Other") : text(row.label);
}

// Rows whose label (in lang) or value contains every word of the search text, at most
// `limit` of them.
export function searchRows(list, rows, query, lang, text, limit = 50) {
  const wanted = fold(query).split(/\s+/).filter(Boolean);
  if (!wanted.length) return rows.slice(0, limit);
  let folded = list.folded.get(lang);
  if (!folded) {
    folded = new Map();
    list.folded.set(lang, folded);
  }
  const out = [];
  for (const row of rows) {
    let f = folded.get(row);
    if (f === undefined) {
      f = fold(`${choiceLabel(row, text)} ${row.value}`);
      folded.set(row, f);
    }
    if (wanted.every((word) => f.includes(word))) {
      out.push(row);
      if (out.length >= limit) break;
    }
  }
  return out;
}

// The label of a value of a select (for outputs in labels and the review), or the value.
export function labelOfValue(form, node, value, text) {
  const list = baseList(form, node);
  if (!list) return String(value);
  if (!list.byValue) list.byValue = new Map(list.rows.map((r) => [r.value, r]));
  const row = list.byValue.get(String(value));
  return row ? choiceLabel(row, text) : String(value);
}

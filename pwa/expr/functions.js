// The functions of the expression language (docs/expressions.md, section 6), as builders
// of closures; twin of server/surveys/expression_functions.py.
// FUNCTIONS: name -> [min args, max args, mode, builder]. Mode 'values': each argument
// closure gives one value; 'nodes': a reference argument may give a NodeSet (its closure's
// .nodes); 'tree': the builder reads the arguments' .ref / .lit / .dotdot marks.
import { NodeSet, bool, num, str, words, chars } from './values.js'
import { dateText, formatMoment, momentOfNumber, parseMoment, timeFraction } from './dates.js'
import { collapse, lookup } from './scope.js'

const EDGES = /^[ \t\n\r]+|[ \t\n\r]+$/g
const same = v => v

// A call whose argument i is evaluated and converted by conv[i] (or the last one).
const call = (f, ...conv) => (...args) => {
  const c = i => conv[Math.min(i, conv.length - 1)]
  if (args.length === 0) return () => f()
  const [a, b, d] = args
  const [ca, cb, cd] = [c(0), c(1), c(2)]
  if (args.length === 1) return e => f(ca(a(e)))
  if (args.length === 2) return e => f(ca(a(e)), cb(b(e)))
  if (args.length === 3) return e => f(ca(a(e)), cb(b(e)), cd(d(e)))
  const cs = args.map((_, i) => c(i))
  return e => f(...args.map((g, i) => cs[i](g(e))))
}

// Half away from zero, applied to the shortest decimal form of x (String(x)).
function round (x, d = 0) {
  if (x !== x || d !== d) return NaN
  if (!isFinite(x) || x === 0) return x || 0
  if (!isFinite(d)) return d > 0 ? x : 0
  d = Math.trunc(d)
  const [mant, exp] = String(Math.abs(x)).split('e')
  const [whole, frac = ''] = mant.split('.')
  const all = whole + frac
  let digits = all.replace(/^0+/, '')
  const k = whole.length + Number(exp || 0) - (all.length - digits.length) + d
  digits = digits.replace(/0+$/, '')
  if (k >= digits.length) return x
  if (k < 0) return 0
  let m = digits.slice(0, k)
  if (digits[k] >= '5') { // add one to the digit string m
    let i = m.length - 1
    while (i >= 0 && m[i] === '9') i--
    m = (i < 0 ? '1' : m.slice(0, i) + (+m[i] + 1)) + '0'.repeat(m.length - i - 1)
  }
  return /[1-9]/.test(m) ? Math.sign(x) * Number(m + 'e' + -d) : 0
}

function substr (s, start, end) {
  const cs = chars(s)
  const clamp = x => Math.trunc(Math.max(0, Math.min(cs.length, x)))
  return start !== start || end !== end ? '' : cs.slice(clamp(start), end === undefined ? cs.length : clamp(end)).join('')
}

const patterns = new Map()
function regex (s, pattern) {
  if (!patterns.has(pattern)) {
    if (patterns.size > 200) patterns.clear()
    try { patterns.set(pattern, new RegExp(pattern, 'u')) } catch (_) { patterns.set(pattern, null) }
  }
  const re = patterns.get(pattern)
  return re !== null && re.test(s)
}

function translate (s, from, to) {
  const source = chars(from)
  const target = chars(to)
  let out = ''
  for (const c of chars(s)) {
    const i = source.indexOf(c)
    if (i < 0) out += c
    else if (i < target.length) out += target[i]
  }
  return out
}

function selectedAt (v, n) {
  const items = words(v)
  if (!Number.isFinite(n)) return ''
  const k = Math.trunc(n)
  return k >= 0 && k < items.length ? items[k] : ''
}

const before = (s, t) => { const i = s.indexOf(t); return i < 0 ? '' : s.slice(0, i) }
const after = (s, t) => { const i = s.indexOf(t); return i < 0 ? '' : s.slice(i + t.length) }

function uuid () {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

// node sets
const flatten = (e, args) => {
  const out = []
  for (const a of args) {
    const v = a(e)
    if (v instanceof NodeSet) for (const x of v.values) out.push(x)
    else out.push(v)
  }
  return out
}
const overNodes = f => (...args) => {
  const raw = args.map(a => a.nodes || a)
  if (raw.length === 1) {
    const a = raw[0]
    return e => { const v = a(e); return f(v instanceof NodeSet ? v.values : [v]) }
  }
  return e => f(flatten(e, raw))
}
const extreme = better => xs => {
  if (!xs.length) return NaN
  let r = num(xs[0])
  for (const v of xs) {
    const x = num(v)
    if (x !== x) return NaN
    if (better(x, r)) r = x
  }
  return r
}
const sum = xs => { let total = 0; for (const v of xs) total += num(v); return total }

// dates
function moment (v) {
  if (typeof v === 'string') {
    const m = parseMoment(v.replace(EDGES, ''))
    if (m !== null) return [m[0], m[1] === null ? 0 : m[1]]
  }
  return momentOfNumber(num(v))
}
const date = v => { const m = moment(v); return m === null ? '' : dateText(m[0]) }
const formatDate = (v, pattern) => e => {
  const m = moment(v(e))
  return m === null ? '' : formatMoment(m[0], m[1], str(pattern(e)), e.language)
}
const timeOf = v => typeof v === 'string' ? timeFraction(v.replace(EDGES, '')) : NaN

// arguments written in one way (checked by the parser)
const position = () => e => e.at.length ? Number(e.at[e.at.length - 1][1]) + 1 : NaN
function indexedRepeat (...args) {
  const name = args[0].ref
  const pairs = []
  for (let k = 1; k < args.length; k += 2) pairs.push([args[k].ref, args[k + 1]])
  return e => {
    const pins = {}
    for (const [repeat, index] of pairs) {
      const n = num(index(e))
      pins[repeat] = Number.isFinite(n) ? Math.trunc(n) - 1 : -1
    }
    return lookup(e, name, pins)
  }
}
const choiceName = (value, question) => e => {
  const labels = e.scope === null ? null : e.scope.labels
  if (!labels) return ''
  const found = []
  for (const item of words(value(e))) {
    const label = labels(question.lit, item, e.language)
    if (label) found.push(label)
  }
  return found.join(', ')
}

const MAX = Infinity
export const FUNCTIONS = {
  selected: [2, 2, 'values', call((xs, v) => xs.includes(v), words, str)],
  'count-selected': [1, 1, 'values', call(xs => xs.length, words)],
  'selected-at': [2, 2, 'values', call(selectedAt, same, num)],
  'jr:choice-name': [2, 2, 'tree', choiceName],
  'string-length': [1, 1, 'values', call(s => chars(s).length, str)],
  not: [1, 1, 'values', call(b => !b, bool)],
  true: [0, 0, 'values', () => () => true],
  false: [0, 0, 'values', () => () => false],
  boolean: [1, 1, 'values', call(same, bool)],
  'boolean-from-string': [1, 1, 'values', call(s => s === 'true' || s === '1', str)],
  if: [3, 3, 'values', (c, a, b) => e => bool(c(e)) ? a(e) : b(e)],
  coalesce: [2, 2, 'values', (a, b) => e => { const v = a(e); return str(v) !== '' ? v : b(e) }],
  once: [1, 1, 'values', a => e => str(e.current) !== '' ? e.current : a(e)],
  number: [1, 1, 'values', call(same, num)],
  string: [1, 1, 'values', call(same, str)],
  int: [1, 1, 'values', call(Math.trunc, num)],
  round: [1, 2, 'values', call(round, num)],
  abs: [1, 1, 'values', call(Math.abs, num)],
  floor: [1, 1, 'values', call(Math.floor, num)],
  ceiling: [1, 1, 'values', call(Math.ceil, num)],
  pow: [2, 2, 'values', call(Math.pow, num)],
  sqrt: [1, 1, 'values', call(Math.sqrt, num)],
  exp: [1, 1, 'values', call(Math.exp, num)],
  log: [1, 1, 'values', call(Math.log, num)],
  log10: [1, 1, 'values', call(Math.log10, num)],
  pi: [0, 0, 'values', () => () => Math.PI],
  random: [0, 0, 'values', () => () => Math.random()],
  concat: [1, MAX, 'values', call((...s) => s.join(''), str)],
  contains: [2, 2, 'values', call((s, t) => s.includes(t), str)],
  'starts-with': [2, 2, 'values', call((s, t) => s.startsWith(t), str)],
  'ends-with': [2, 2, 'values', call((s, t) => s.endsWith(t), str)],
  substr: [2, 3, 'values', call(substr, str, num)],
  'substring-before': [2, 2, 'values', call(before, str)],
  'substring-after': [2, 2, 'values', call(after, str)],
  'normalize-space': [1, 1, 'values', call(s => words(s).join(' '), str)],
  translate: [3, 3, 'values', call(translate, str)],
  uuid: [0, 0, 'values', () => () => uuid()],
  regex: [2, 2, 'values', call(regex, str)],
  today: [0, 0, 'values', () => e => e.today],
  now: [0, 0, 'values', () => e => e.now],
  date: [1, 1, 'values', call(date, same)],
  'decimal-date-time': [1, 1, 'values', call(same, num)],
  'decimal-time': [1, 1, 'values', call(timeOf, same)],
  'format-date': [2, 2, 'values', formatDate],
  'format-date-time': [2, 2, 'values', formatDate],
  min: [1, MAX, 'nodes', overNodes(extreme((x, r) => x < r))],
  max: [1, MAX, 'nodes', overNodes(extreme((x, r) => x > r))],
  sum: [1, MAX, 'nodes', overNodes(sum)],
  count: [1, 1, 'nodes', a => { const g = a.nodes || a; return e => { const v = g(e); return v instanceof NodeSet ? v.length : 1 } }],
  'count-non-empty': [1, 1, 'nodes', overNodes(xs => xs.reduce((n, x) => n + (str(x) !== '' ? 1 : 0), 0))],
  join: [2, MAX, 'nodes', (sep, ...rest) => { const all = overNodes(same)(...rest); return e => all(e).map(str).join(str(collapse(sep(e)))) }],
  position: [1, 1, 'tree', position],
  'indexed-repeat': [3, MAX, 'tree', indexedRepeat]
}

// Willay expression language (docs/expressions.md), twin of server/surveys/expressions.py;
// both pass tests/data/expression_vectors.json. Evaluating never throws for data problems.

const MAX_LENGTH = 2000
const MAX_DEPTH = 50
const WS = /[ \t\n\r]/
const DIGIT = /[0-9]/
const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /\w/
const LEVELS = [['or'], ['and'], ['=', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', 'div', 'mod']]
const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k)

export class ExpressionError extends Error {
  constructor (code, position, message) {
    super(`${message} (at ${position})`)
    this.name = 'ExpressionError'
    this.code = code
    this.position = position
  }
}
const error = (code, position, message) => new ExpressionError(code, position, message)

// Values: string, number, boolean, array of strings (select_multiple).
const scalar = v => /^(string|number|boolean)$/.test(typeof v)
function norm (v) {
  if (scalar(v)) return v
  if (Array.isArray(v)) return v.map(x => scalar(x) ? String(x) : '')
  if (v && typeof v.lat === 'number' && typeof v.lon === 'number') return v.lat + ' ' + v.lon // geopoint
  return ''
}

const bool = v => typeof v === 'number' ? v !== 0 && v === v : typeof v === 'boolean' ? v : v.length > 0
const num = v => typeof v === 'number' ? v
  : typeof v === 'boolean' ? +v
    : typeof v !== 'string' ? NaN
      : /^[ \t\n\r]*-?[0-9]+(\.[0-9]+)?[ \t\n\r]*$/.test(v) ? Number(v) : NaN
// String(number) is the layout the spec asks for ('0' for -0)
const str = v => Array.isArray(v) ? v.join(' ') : String(v)
const words = v => Array.isArray(v) ? v : str(v).split(/[ \t\n\r]+/).filter(Boolean)
const chars = s => Array.from(s) // code points

// Order strings by code point, not UTF-16 unit: move surrogates above U+E000..U+FFFF.
function cmp (a, b) {
  for (let i = 0; i < a.length && i < b.length; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x !== y) {
      if (x >= 0xD800 && y >= 0xD800) {
        x += x >= 0xE000 ? -0x800 : 0x2000
        y += y >= 0xE000 ? -0x800 : 0x2000
      }
      return x - y
    }
  }
  return a.length - b.length
}

function eq (a, b) {
  const t = typeof a + typeof b
  if (t.includes('boolean')) return bool(a) === bool(b)
  if (t.includes('number')) return num(a) === num(b)
  return str(a) === str(b)
}

const rel = test => (a, b) => typeof a === 'string' && typeof b === 'string' ? test(cmp(a, b), 0) : test(num(a), num(b))

const BINARY = {
  '=': eq,
  '!=': (a, b) => !eq(a, b),
  '<': rel((x, y) => x < y),
  '<=': rel((x, y) => x <= y),
  '>': rel((x, y) => x > y),
  '>=': rel((x, y) => x >= y),
  '+': (a, b) => num(a) + num(b),
  '-': (a, b) => num(a) - num(b),
  '*': (a, b) => num(a) * num(b),
  div: (a, b) => num(a) / num(b),
  mod: (a, b) => num(a) % num(b)
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

const extreme = better => (...xs) => xs.reduce((r, x) => r !== r || x !== x ? NaN : better(x, r) ? x : r)

const patterns = new Map()
function regex (s, pattern) {
  if (!patterns.has(pattern)) {
    if (patterns.size > 200) patterns.clear()
    try { patterns.set(pattern, new RegExp(pattern, 'u')) } catch (_) { patterns.set(pattern, null) }
  }
  const re = patterns.get(pattern)
  return re !== null && re.test(s)
}

// A call whose argument i is evaluated and converted by conv[i] (or the last one).
const call = (f, ...conv) => (...args) => {
  const cs = args.map((_, i) => conv[Math.min(i, conv.length - 1)])
  return e => f(...args.map((a, i) => cs[i](a(e))))
}

// name: [min args, max args, builder from the argument closures]
const FUNCTIONS = {
  selected: [2, 2, call((xs, v) => xs.includes(v), words, str)],
  'count-selected': [1, 1, call(xs => xs.length, words)],
  'string-length': [1, 1, call(s => chars(s).length, str)],
  not: [1, 1, call(b => !b, bool)],
  true: [0, 0, () => () => true],
  false: [0, 0, () => () => false],
  if: [3, 3, (c, a, b) => e => bool(c(e)) ? a(e) : b(e)],
  coalesce: [2, 2, (a, b) => e => { const v = a(e); return str(v) !== '' ? v : b(e) }],
  number: [1, 1, call(x => x, num)],
  string: [1, 1, call(s => s, str)],
  int: [1, 1, call(Math.trunc, num)],
  round: [1, 2, call(round, num)],
  concat: [1, Infinity, call((...s) => s.join(''), str)],
  contains: [2, 2, call((s, t) => s.includes(t), str)],
  'starts-with': [2, 2, call((s, t) => s.startsWith(t), str)],
  substr: [2, 3, call(substr, str, num)],
  today: [0, 0, () => e => e.today],
  regex: [2, 2, call(regex, str)],
  min: [1, Infinity, call(extreme((x, r) => x < r), num)],
  max: [1, Infinity, call(extreme((x, r) => x > r), num)]
}

function tokenize (cs) { // → [kind, value, position], kinds: num str ref dot name op end
  const tokens = []
  const skip = (i, re) => { while (i < cs.length && re.test(cs[i])) i++; return i }
  let i = 0
  while (i < cs.length) {
    const c = cs[i]
    const start = i
    let end
    if (WS.test(c)) {
      i++
    } else if (DIGIT.test(c)) {
      i = skip(i, DIGIT)
      if (cs[i] === '.' && DIGIT.test(cs[i + 1] || '')) i = skip(i + 1, DIGIT)
      tokens.push(['num', Number(cs.slice(start, i).join('')), start])
    } else if (c === '.') {
      tokens.push(['dot', null, i++])
    } else if (c === '"' || c === "'") {
      if ((end = cs.indexOf(c, i + 1)) < 0) throw error('unterminated_string', i, 'string not closed')
      tokens.push(['str', cs.slice(i + 1, end).join(''), start])
      i = end + 1
    } else if (c === '$') {
      end = cs[i + 1] === '{' ? cs.indexOf('}', i) : -1
      const id = cs.slice(i + 2, end).join('')
      if (end < 0 || !/^[a-z][a-z0-9_]{0,63}$/.test(id)) throw error('bad_reference', i, 'write a reference as ${question_id}')
      tokens.push(['ref', id, start])
      i = end + 1
    } else if (NAME_START.test(c)) {
      let j = i = skip(i, NAME_CHAR)
      while (cs[j] === '-' && NAME_START.test(cs[j + 1] || '')) j = skip(j + 1, NAME_CHAR)
      if (j > i && cs[skip(j, WS)] === '(') i = j // a hyphenated function name: count-selected(
      tokens.push(['name', cs.slice(start, i).join(''), start])
    } else if ('<>!'.includes(c) && cs[i + 1] === '=') {
      tokens.push(['op', c + '=', start])
      i += 2
    } else if ('=+-*(),<>'.includes(c)) {
      tokens.push(['op', c, i++])
    } else {
      throw error('unexpected_token', i, `unexpected character '${c}'`)
    }
  }
  tokens.push(['end', null, cs.length])
  return tokens
}

function build (tokens, info) { // recursive descent, straight to closures
  let i = 0
  let depth = 0
  const at = op => tokens[i][0] === 'op' && tokens[i][1] === op
  const fail = ([kind, value, pos]) => kind === 'end'
    ? error('unexpected_end', pos, 'unexpected end')
    : error('unexpected_token', pos, `unexpected ${kind === 'name' || kind === 'op' ? `'${value}'` : kind}`)
  const enter = pos => {
    if (++depth > MAX_DEPTH) throw error('too_deep', pos, 'nested too deep')
  }
  const close = () => {
    if (!at(')')) throw fail(tokens[i])
    i++
    depth--
  }

  function level (lv) {
    if (lv === LEVELS.length) return unary()
    const first = level(lv + 1)
    const rest = []
    while (/^(op|name)$/.test(tokens[i][0]) && LEVELS[lv].includes(tokens[i][1])) {
      rest.push([BINARY[tokens[i++][1]], level(lv + 1)])
    }
    if (!rest.length) return first
    if (lv > 1) return e => rest.reduce((v, [f, g]) => f(v, g(e)), first(e))
    const parts = [first, ...rest.map(r => r[1])]
    const isAnd = lv === 1 // and/or: short-circuit, give a boolean
    return e => { for (const p of parts) if (bool(p(e)) !== isAnd) return !isAnd; return isAnd }
  }

  function unary () {
    if (!at('-')) return primary()
    enter(tokens[i++][2])
    const a = unary()
    depth--
    return e => -num(a(e))
  }

  function primary () {
    const token = tokens[i++]
    const [kind, value, pos] = token
    if (kind === 'num' || kind === 'str') return () => value
    if (kind === 'ref') {
      info.references.add(value)
      return e => norm(e.get(value))
    }
    if (kind === 'dot') {
      info.usesCurrent = true
      return e => e.current
    }
    if (kind === 'op' && value === '(') {
      enter(pos)
      const inner = level(0)
      close()
      return inner
    }
    if (kind !== 'name' || !at('(')) throw fail(token)
    if (!own(FUNCTIONS, value)) throw error('unknown_function', pos, `unknown function ${value}()`)
    enter(pos)
    i++
    const args = []
    if (!at(')')) {
      args.push(level(0))
      while (at(',')) { i++; args.push(level(0)) }
    }
    close()
    const [low, high, make] = FUNCTIONS[value]
    if (args.length < low || args.length > high) {
      throw error('wrong_arity', pos, `wrong number of arguments for ${value}()`)
    }
    if (value === 'today') info.usesToday = true
    return make(...args)
  }

  const fn = level(0)
  if (tokens[i][0] !== 'end') throw fail(tokens[i])
  return fn
}

const pad = (x, w) => String(x).padStart(w, '0')
const day = t => typeof t === 'string' ? t
  : (d => `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`)(t instanceof Date ? t : new Date())

/** Parse once: {source, references: Set, usesCurrent, evaluate(answers, {current, today}), evaluateBool}. */
export function parse (text) {
  const cs = chars(text)
  if (cs.length > MAX_LENGTH) throw error('too_long', MAX_LENGTH, 'expression too long')
  if (!/[^ \t\n\r]/.test(text)) throw error('empty', 0, 'empty expression')
  const info = { references: new Set(), usesCurrent: false, usesToday: false }
  const fn = build(tokenize(cs), info)
  const evaluate = (answers, opts) => {
    const a = answers || {}
    const o = opts || {}
    return fn({
      get: a instanceof Map ? k => a.get(k) : k => own(a, k) ? a[k] : undefined,
      current: info.usesCurrent ? norm(o.current) : '',
      today: info.usesToday ? day(o.today) : ''
    })
  }
  return {
    source: text,
    references: info.references,
    usesCurrent: info.usesCurrent,
    evaluate,
    evaluateBool: (answers, opts) => bool(evaluate(answers, opts))
  }
}

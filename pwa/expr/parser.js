// Lexer and recursive-descent parser of the expression language, straight to closures
// (docs/expressions.md, sections 1, 2 and 10); twin of server/surveys/expression_parser.py.
import { BINARY, bool, norm, num, own } from './values.js'
import { FUNCTIONS } from './functions.js'
import { collapse, lookup } from './scope.js'

export const MAX_LENGTH = 2000
export const MAX_DEPTH = 50
const WS = /[ \t\n\r]/
const DIGIT = /[0-9]/
const NAME_START = /[A-Za-z_]/
const NAME_CHAR = /\w/
const ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/
const TYPOGRAPHIC = '\u2018\u2019\u201c\u201d'
const LEVELS = [['or'], ['and'], ['=', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', 'div', 'mod']]

export class ExpressionError extends Error {
  constructor (code, position, message) {
    super(`${message} (at ${position})`)
    this.name = 'ExpressionError'
    this.code = code
    this.position = position
  }
}
const error = (code, position, message) => new ExpressionError(code, position, message)

export function tokenize (cs) { // → [kind, value, position], kinds: num str ref dot dotdot name op end
  // inside a string written with straight quotes a curly one is text (Quechua t’ika)
  const typographic = (at) => error('typographic_quote', at, `${cs[at]} is a typographic quote: write strings with straight quotes ' or "`)
  const tokens = []
  const skip = (i, re) => { while (i < cs.length && re.test(cs[i])) i++; return i }
  const name = i => { // a hyphenated name (count-selected) only when "(" follows
    let j = i = skip(i, NAME_CHAR)
    while (cs[j] === '-' && NAME_START.test(cs[j + 1] || '')) j = skip(j + 1, NAME_CHAR)
    return j > i && cs[skip(j, WS)] === '(' ? j : i
  }
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
      if (cs[i + 1] === '.') tokens.push(['dotdot', null, (i += 2) - 2])
      else tokens.push(['dot', null, i++])
    } else if (c === '"' || c === "'") {
      if ((end = cs.indexOf(c, i + 1)) < 0) {
        const curly = cs.findIndex((q, j) => j > i && TYPOGRAPHIC.includes(q))
        throw curly >= 0 ? typographic(curly) : error('unterminated_string', i, 'string not closed')
      }
      tokens.push(['str', cs.slice(i + 1, end).join(''), start])
      i = end + 1
    } else if (c === '$') {
      end = cs[i + 1] === '{' ? cs.indexOf('}', i) : -1
      if (end < 0 || !ID.test(cs.slice(i + 2, end).join(''))) throw error('bad_reference', i, 'write a reference as ${name}')
      tokens.push(['ref', cs.slice(i + 2, end).join(''), start])
      i = end + 1
    } else if (NAME_START.test(c)) {
      i = name(i)
      if (cs[i] === ':' && NAME_START.test(cs[i + 1] || '')) { // a prefixed function: jr:choice-name(
        const j = name(i + 1)
        if (cs[skip(j, WS)] === '(') i = j
      }
      tokens.push(['name', cs.slice(start, i).join(''), start])
    } else if ('<>!'.includes(c) && cs[i + 1] === '=') {
      tokens.push(['op', c + '=', start])
      i += 2
    } else if ('=+-*(),<>'.includes(c)) {
      tokens.push(['op', c, i++])
    } else {
      if (TYPOGRAPHIC.includes(c)) throw typographic(i)
      throw error('unexpected_token', i, `unexpected character '${c}'`)
    }
  }
  tokens.push(['end', null, cs.length])
  return tokens
}

const columnOf = name => e => {
  const c = e.choice
  const v = c instanceof Map ? c.get(name) : own(c, name) ? c[name] : undefined
  return typeof v === 'string' ? v : norm(v)
}

function reference (name) {
  const nodes = e => lookup(e, name)
  const value = e => collapse(lookup(e, name))
  value.nodes = nodes
  value.ref = name
  return value
}

function chain (first, rest) {
  if (rest.length === 1) {
    const [[f, g]] = rest
    return e => f(first(e), g(e))
  }
  return e => { let v = first(e); for (const [f, g] of rest) v = f(v, g(e)); return v }
}

function logic (parts, isAnd) { // short-circuit, give a boolean
  if (parts.length === 2) {
    const [a, b] = parts
    return isAnd ? e => bool(a(e)) && bool(b(e)) : e => bool(a(e)) || bool(b(e))
  }
  return e => { for (const p of parts) if (bool(p(e)) !== isAnd) return !isAnd; return isAnd }
}

// info: {references, columns, usesCurrent, usesToday, usesNow}, filled while parsing
export function build (tokens, info, choiceFilter) {
  let i = 0
  let depth = 0
  const at = op => tokens[i][0] === 'op' && tokens[i][1] === op
  const fail = ([kind, value, pos]) => kind === 'end'
    ? error('unexpected_end', pos, 'unexpected end')
    : error('unexpected_token', pos, `unexpected ${kind === 'name' || kind === 'op' ? `'${value}'` : kind === 'dotdot' ? "'..' (only position(..) takes it)" : kind}`)
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
    while ((tokens[i][0] === 'op' || tokens[i][0] === 'name') && LEVELS[lv].includes(tokens[i][1])) {
      rest.push([BINARY[tokens[i++][1]], level(lv + 1)])
    }
    if (!rest.length) return first
    if (lv > 1) return chain(first, rest)
    return logic([first, ...rest.map(r => r[1])], lv === 1)
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
    if (kind === 'num' || kind === 'str') {
      const lit = () => value
      lit.lit = value
      return lit
    }
    if (kind === 'ref') {
      info.references.add(value)
      return reference(value)
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
    if (kind === 'name' && at('(')) return call(value, pos)
    if (kind === 'name' && choiceFilter) {
      info.columns.add(value)
      return columnOf(value)
    }
    throw fail(token)
  }

  function call (name, pos) {
    if (!own(FUNCTIONS, name)) throw error('unknown_function', pos, `unknown function ${name}()`)
    enter(pos)
    i++
    const args = []
    const starts = []
    if (!at(')')) {
      for (;;) {
        starts.push(tokens[i][2])
        if (name === 'position' && tokens[i][0] === 'dotdot') {
          i++
          args.push(Object.assign(() => '', { dotdot: true }))
        } else {
          args.push(level(0))
        }
        if (!at(',')) break
        i++
      }
    }
    close()
    const [low, high, mode, make] = FUNCTIONS[name]
    if (args.length < low || args.length > high || (name === 'indexed-repeat' && args.length % 2 === 0)) {
      throw error('wrong_arity', pos, `wrong number of arguments for ${name}()`)
    }
    special(name, args, starts)
    if (name === 'today') info.usesToday = true
    if (name === 'now') info.usesNow = true
    if (name === 'once') info.usesCurrent = true
    const fn = make(...args)
    if (mode !== 'tree' || name === 'position') return fn
    const value = e => collapse(fn(e))
    value.nodes = fn
    return value
  }

  function special (name, args, starts) { // arguments that must be written in one way
    if (name === 'position' && !args[0].dotdot) throw error('bad_argument', starts[0], 'write position(..)')
    if (name === 'indexed-repeat') {
      for (let k = 0; k < args.length; k = k ? k + 2 : 1) {
        if (args[k].ref === undefined) throw error('bad_argument', starts[k], 'indexed-repeat() takes the field and each repeat as ${name}')
      }
    }
    if (name === 'jr:choice-name') {
      const inner = typeof args[1].lit === 'string' ? args[1].lit.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '') : ''
      const qid = inner.startsWith('${') && inner.endsWith('}') ? inner.slice(2, -1) : ''
      if (!ID.test(qid)) throw error('bad_argument', starts[1], "the second argument of jr:choice-name() is the question, as '${name}'")
      info.references.add(qid)
      args[1] = Object.assign(() => qid, { lit: qid })
    }
  }

  const fn = level(0)
  if (tokens[i][0] !== 'end') throw fail(tokens[i])
  return fn
}

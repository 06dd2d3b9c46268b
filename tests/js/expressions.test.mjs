// The expression language (docs/expressions.md), JavaScript side: the same vectors
// as tests/surveys/test_expressions.py, run against pwa/expressions.js.
// Run with: node --test tests/js/
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse, ExpressionError, NodeSet, Scope } from '../../pwa/expressions.js'

const VECTORS = JSON.parse(readFileSync(new URL('../data/expression_vectors.json', import.meta.url), 'utf8'))

const label = (kind, i, expr) => {
  const shown = JSON.stringify(expr).slice(1, -1)
  return `${kind} ${String(i).padStart(3, '0')}: ${shown.slice(0, 60)}${shown.length > 60 ? '...' : ''}`
}

function check (actual, expected) {
  if (expected !== null && typeof expected === 'object' && expected.type) { // random values: the type
    assert.equal(typeof actual, expected.type)
    if (expected.type === 'number') assert.ok(actual >= expected.min && actual < expected.below, String(actual))
    else assert.match(actual, new RegExp(expected.pattern))
  } else if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) { // {"nan": true}
    assert.ok(typeof actual === 'number' && Number.isNaN(actual), `expected NaN, got ${actual}`)
  } else if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `expected a number, got ${JSON.stringify(actual)}`)
    assert.ok(actual === expected, `expected ${expected}, got ${actual}`) // 0 === -0 on purpose
  } else {
    assert.deepStrictEqual(actual, expected)
  }
}

// labels for jr:choice-name(): {question: {value: {language: label}}}
const labelsOf = table => (question, value, language) => {
  const texts = (table[question] || {})[value]
  return texts === undefined ? null : texts[language || ''] ?? Object.values(texts)[0]
}

// the answers as the vector gives them: a Scope when it has ancestors, at or labels
const scopeOf = c => c.ancestors || c.at || c.labels
  ? new Scope(c.answers, c.ancestors || {}, c.at || [], c.labels ? labelsOf(c.labels) : null)
  : c.answers

VECTORS.cases.forEach((c, i) => {
  test(label('case', i, c.expr), () => {
    const opts = { current: c.current }
    for (const key of ['today', 'now', 'choice', 'language']) if (c[key] !== undefined) opts[key] = c[key]
    check(parse(c.expr, { choiceFilter: 'choice' in c }).evaluate(scopeOf(c), opts), c.expected)
  })
})

VECTORS.errors.forEach((v, i) => {
  test(label('error', i, v.expr), () => {
    assert.throws(() => parse(v.expr, { choiceFilter: !!v.choice_filter }), err => {
      assert.ok(err instanceof ExpressionError && err instanceof Error)
      assert.deepStrictEqual([err.code, err.position], [v.code, v.position], err.message)
      assert.ok(err.message.length > 0)
      return true
    })
  })
})

VECTORS.references.forEach((v, i) => {
  test(label('references', i, v.expr), () => {
    const expr = parse(v.expr, { choiceFilter: !!v.choice_filter })
    assert.ok(expr.references instanceof Set)
    assert.deepStrictEqual([...expr.references].sort(), v.refs)
    assert.equal(expr.usesCurrent, v.uses_current)
    assert.deepStrictEqual([...expr.columns].sort(), v.columns || [])
  })
})

test('vectors are many and cover every error code', () => {
  assert.ok(VECTORS.cases.length >= 180 && VECTORS.errors.length >= 30)
  const codes = new Set(VECTORS.errors.map(v => v.code))
  assert.equal(codes.size, 11)
})

test('parse once, evaluate many', () => {
  const expr = parse("${a} = 'yes' and ${b} > 3")
  assert.equal(expr.source, "${a} = 'yes' and ${b} > 3")
  for (let round = 0; round < 3; round++) {
    for (let n = 0; n < 10; n++) {
      assert.equal(expr.evaluate({ a: 'yes', b: n }), n > 3)
      assert.equal(expr.evaluateBool({ a: 'yes', b: n }), n > 3)
    }
    assert.equal(expr.evaluate({}), false)
    assert.equal(expr.evaluate(null), false)
  }
})

test('answers may be a Map; inherited properties are not answers', () => {
  assert.equal(parse('${a} = 1').evaluate(new Map([['a', 1]])), true)
  assert.equal(parse('${constructor}').evaluate({}), '')
  assert.equal(parse('${to_string} = ""').evaluate(Object.create({ to_string: 'x' })), true)
})

test('evaluateBool converts', () => {
  assert.equal(parse("'x'").evaluateBool({}), true)
  assert.equal(parse('${a}').evaluateBool({}), false)
  assert.equal(parse('${m}').evaluateBool({ m: [] }), false)
  assert.equal(parse('0 div 0').evaluateBool({}), false)
  assert.equal(parse('. * 2').evaluateBool({}, { current: 1 }), true)
})

test('today() defaults to the local date and accepts a Date', () => {
  const d = new Date()
  const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
  assert.equal(parse('today()').evaluate({}), local)
  assert.equal(parse('today()').evaluate({}, { today: new Date(2024, 1, 29, 23, 59) }), '2024-02-29')
  assert.equal(parse('today()').evaluate({}, { today: '2025-01-01' }), '2025-01-01')
})

test('evaluate does not touch the answers', () => {
  const answers = { m: ['a', 'b'], n: 3, g: { lat: -12.5, lon: -77 } }
  const snapshot = JSON.stringify(answers)
  parse('if(1, ${m}, 0)').evaluate(answers).push('c')
  parse('concat(${m}, ${n}, ${g})').evaluate(answers)
  assert.equal(JSON.stringify(answers), snapshot)
})

test('odd answer values have defined values', () => {
  const expr = parse('string(${a})')
  assert.equal(expr.evaluate({ a: NaN }), 'NaN')
  assert.equal(expr.evaluate({ a: () => 1 }), '')
  assert.equal(expr.evaluate({ a: { lat: '1', lon: 2 } }), '')
  assert.equal(expr.evaluate({ a: [null, [1], { x: 1 }, 'ok'] }), '   ok')
})

test('length and depth limits', () => {
  const longest = '1+'.repeat(999) + '1 '
  assert.equal(longest.length, 2000)
  assert.equal(parse(longest).evaluate({}), 1000)
  assert.throws(() => parse(longest + ' '), { code: 'too_long' })
  assert.equal(parse('('.repeat(50) + '1' + ')'.repeat(50)).evaluate({}), 1)
  assert.throws(() => parse('('.repeat(51) + '1' + ')'.repeat(51)), { code: 'too_deep' })
  // 2000 characters count code points, not UTF-16 units
  assert.equal(parse(`'${'😀'.repeat(1998)}'`).evaluate({}).length, 3996)
})

const ODD = [null, undefined, '', ' ', '0', '-1.5', 'abc', '2024-05-01', '2024-05-01T10:00:00-05:00', '10:15',
  0, -0, 7, 2.5, NaN, Infinity, true, false, [], ['a', 'b'], [1, null], [{}], [{ a: 1 }, 'x'], {},
  { lat: -12.1, lon: -77 }]
const CALLS = ['selected(${a}, ${b})', 'count-selected(${a})', 'selected-at(${a}, ${b})',
  "jr:choice-name(${a}, '${b}')", 'string-length(${a})', 'not(${a})', 'boolean(${a})',
  'boolean-from-string(${a})', 'if(${a}, ${b}, ${c})', 'coalesce(${a}, ${b})', 'once(${a})',
  'number(${a})', 'string(${a})', 'int(${a})', 'round(${a})', 'round(${a}, ${b})', 'abs(${a})',
  'floor(${a})', 'ceiling(${a})', 'pow(${a}, ${b})', 'sqrt(${a})', 'exp(${a})', 'log(${a})',
  'log10(${a})', 'pi()', 'random()', 'concat(${a}, ${b})', 'contains(${a}, ${b})',
  'starts-with(${a}, ${b})', 'ends-with(${a}, ${b})', 'substr(${a}, ${b})', 'substr(${a}, ${b}, ${c})',
  'substring-before(${a}, ${b})', 'substring-after(${a}, ${b})', 'normalize-space(${a})',
  'translate(${a}, ${b}, ${c})', 'uuid()', 'regex(${a}, ${b})', 'today()', 'now()', 'date(${a})',
  'decimal-date-time(${a})', 'decimal-time(${a})', 'format-date(${a}, ${b})',
  'format-date-time(${a}, ${b})', 'min(${a}, ${b})', 'max(${a}, ${b})', 'sum(${a}, ${b}, ${c})',
  'count(${a})', 'count-non-empty(${b})', 'join(${a}, ${b}, ${c})', 'position(..)',
  'indexed-repeat(${a}, ${r}, ${b})', 'indexed-repeat(${b}, ${r}, ${a}, ${s}, ${c})', '-${a}', '.',
  ...['or', 'and', '=', '!=', '<', '<=', '>', '>=', '+', '-', '*', 'div', 'mod'].map(op => `\${a} ${op} \${b}`)]

test('evaluation never throws for data', () => {
  const exprs = CALLS.map(text => parse(text))
  for (const a of ODD) {
    for (const b of ODD) {
      for (const expr of exprs) expr.evaluate({ a, b, c: a }, { current: a, today: '2024-05-01' })
    }
  }
})

test('evaluation in repeats never throws for data', () => {
  const ancestors = new Map([['a', ['r']], ['b', ['r', 's']], ['c', []], ['r', []], ['s', ['r']]])
  const exprs = [...CALLS, 'col = ${a}'].map(text => parse(text, { choiceFilter: true }))
  let k = 0
  const pick = () => ODD[(k = (k * 7 + 3) % 9973) % ODD.length]
  const labels = () => [null, '', 'label'][k % 3]
  for (let round = 0; round < 300; round++) {
    const inner = [[{ b: pick() }, {}, pick()][k % 3], [{ b: pick() }, {}, pick()][(k + 1) % 3]]
    const outer = { a: pick(), s: k % 2 ? inner : pick() }
    const answers = { c: pick(), r: k % 3 ? [outer, {}] : pick() }
    const at = [[], [['r', 0]], [['r', 1], ['s', 0]], [['r', 5]], [['x', 0]]][round % 5]
    const scope = new Scope(answers, ancestors, at, labels)
    for (const expr of exprs) {
      expr.evaluate(scope, { current: pick(), choice: { col: pick(), name: pick() }, language: 'qu', now: new Date(2024, 4, 1) })
    }
  }
})

// ------------------------------------------------------------- repeats (Scope)

const HOUSEHOLD = {
  members: [{ name: 'Rosa', age: 44, kids: [{ k_age: 10 }, { k_age: 7 }] }, { name: 'Juan', age: 8 }],
  size: 2
}
const ANCESTORS = { members: [], name: ['members'], age: ['members'], kids: ['members'], k_age: ['members', 'kids'], size: [] }

test('scope.within goes one instance deeper', () => {
  const top = new Scope(HOUSEHOLD, ANCESTORS)
  const second = top.within('members', 1)
  assert.deepStrictEqual([top.at, second.at], [[], [['members', 1]]])
  assert.deepStrictEqual(second.within('kids', 0).at, [['members', 1], ['kids', 0]])
  assert.deepStrictEqual(top.at, [])
  const name = parse('${name}')
  assert.equal(name.evaluate(top), 'Rosa') // a node set where one value is expected: the first
  assert.equal(name.evaluate(second), 'Juan')
  assert.equal(parse('position(..)').evaluate(second.within('kids', 0)), 1)
  assert.equal(parse('count(${k_age})').evaluate(top.within('members', 0)), 2)
})

test('a reference to a repeat counts its instances; ancestors may be a Map', () => {
  const scope = new Scope(HOUSEHOLD, new Map(Object.entries(ANCESTORS)))
  assert.equal(parse('count(${members})').evaluate(scope), 2)
  assert.equal(parse('count(${members})').evaluate(new Scope({}, ANCESTORS)), 0)
  assert.equal(parse('count(${kids})').evaluate(scope.within('members', 2)), 0) // a new, empty instance
  assert.equal(parse('sum(${k_age})').evaluate(scope), 17)
})

test('NodeSet is exported and reaches only node-set functions', () => {
  const values = new NodeSet(['a', ''])
  assert.equal(values.length, 2)
  assert.equal(values.first(), 'a')
  assert.equal(new NodeSet().first(), '')
  for (const text of ['${k_age}', 'if(true(), ${k_age}, 0)', 'concat(${k_age})']) {
    assert.ok(['number', 'string'].includes(typeof parse(text).evaluate(new Scope(HOUSEHOLD, ANCESTORS))), text)
  }
})

test('labels, language and jr:choice-name', () => {
  const seen = []
  const labels = (question, value, language) => { seen.push([question, value, language]); return { a: 'Agua', b: 'Luz' }[value] ?? null }
  const expr = parse("jr:choice-name(${q}, '${q}')")
  assert.deepStrictEqual([...expr.references], ['q'])
  assert.equal(expr.evaluate(new Scope({ q: 'b' }, {}, [], labels), { language: 'qu' }), 'Luz')
  assert.equal(expr.evaluate(new Scope({ q: ['a', 'x', 'b'] }, {}, [], labels)), 'Agua, Luz')
  assert.deepStrictEqual(seen[0], ['q', 'b', 'qu'])
  assert.equal(expr.evaluate({ q: 'b' }), '')
})

test('choice filters: bare names are columns; a Map choice works', () => {
  const expr = parse("prov = ${prov} and name != 'x'", { choiceFilter: true })
  assert.deepStrictEqual([[...expr.columns].sort(), [...expr.references]], [['name', 'prov'], ['prov']])
  const choices = [{ name: 'a', prov: '01' }, { name: 'x', prov: '01' }, { name: 'b', prov: '02' }, { name: 'c' }]
  assert.deepStrictEqual(choices.filter(choice => expr.evaluateBool({ prov: '01' }, { choice })).map(c => c.name), ['a'])
  assert.equal(expr.evaluate({ prov: '01' }, { choice: new Map([['name', 'a'], ['prov', '01']]) }), true)
  assert.equal(parse('constructor = ""', { choiceFilter: true }).evaluate({}, { choice: {} }), true)
  assert.throws(() => parse('prov = ${prov}'), { code: 'unexpected_token' })
})

test('a choice filter over 50,000 choices is cheap', () => {
  const choices = Array.from({ length: 50000 }, (_, i) => ({ name: 'v' + i, prov: String(i % 200).padStart(2, '0') }))
  const expr = parse('prov = ${prov}', { choiceFilter: true })
  const scope = new Scope({ prov: '07' }, {})
  const opts = { choice: null }
  let best = Infinity
  let kept = 0
  for (let round = 0; round < 5; round++) {
    const start = performance.now()
    kept = 0
    for (const choice of choices) { opts.choice = choice; if (expr.evaluateBool(scope, opts)) kept++ }
    best = Math.min(best, performance.now() - start)
  }
  assert.equal(kept, 250)
  assert.ok(best < 100, `${best} ms`) // about 3 ms here; generous for a busy machine
})

test('now() and today()', () => {
  assert.equal(parse('now()').evaluate({}, { now: '2024-05-01T23:30:05.250-05:00' }), '2024-05-01T23:30:05.250-05:00')
  assert.equal(parse('today()').evaluate({}, { now: '2024-05-01T23:30:05.250-05:00' }), '2024-05-01')
  assert.match(parse('now()').evaluate({}), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/)
  const local = new Date(2024, 0, 2, 3, 4, 5, 6)
  assert.ok(parse('now()').evaluate({}, { now: local }).startsWith('2024-01-02T03:04:05.006'))
})

test('once() keeps the stored value', () => {
  const expr = parse('once(uuid())')
  assert.equal(expr.usesCurrent, true)
  const first = expr.evaluate({})
  assert.equal(first.length, 36)
  assert.equal(expr.evaluate({}, { current: first }), first)
  assert.notEqual(expr.evaluate({}), first)
})

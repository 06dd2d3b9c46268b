// The expression language (docs/expressions.md), JavaScript side: the same vectors
// as tests/surveys/test_expressions.py, run against pwa/expressions.js.
// Run with: node --test tests/js/
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { parse, ExpressionError } from '../../pwa/expressions.js'

const VECTORS = JSON.parse(readFileSync(new URL('../data/expression_vectors.json', import.meta.url), 'utf8'))

const label = (kind, i, expr) => {
  const shown = JSON.stringify(expr).slice(1, -1)
  return `${kind} ${String(i).padStart(3, '0')}: ${shown.slice(0, 60)}${shown.length > 60 ? '...' : ''}`
}

function check (actual, expected) {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) { // {"nan": true}
    assert.ok(typeof actual === 'number' && Number.isNaN(actual), `expected NaN, got ${actual}`)
  } else if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `expected a number, got ${JSON.stringify(actual)}`)
    assert.ok(actual === expected, `expected ${expected}, got ${actual}`) // 0 === -0 on purpose
  } else {
    assert.deepStrictEqual(actual, expected)
  }
}

VECTORS.cases.forEach((c, i) => {
  test(label('case', i, c.expr), () => {
    const opts = { current: c.current }
    if (c.today) opts.today = c.today
    check(parse(c.expr).evaluate(c.answers, opts), c.expected)
  })
})

VECTORS.errors.forEach((v, i) => {
  test(label('error', i, v.expr), () => {
    assert.throws(() => parse(v.expr), err => {
      assert.ok(err instanceof ExpressionError && err instanceof Error)
      assert.deepStrictEqual([err.code, err.position], [v.code, v.position], err.message)
      assert.ok(err.message.length > 0)
      return true
    })
  })
})

VECTORS.references.forEach((v, i) => {
  test(label('references', i, v.expr), () => {
    const expr = parse(v.expr)
    assert.ok(expr.references instanceof Set)
    assert.deepStrictEqual([...expr.references].sort(), v.refs)
    assert.equal(expr.usesCurrent, v.uses_current)
  })
})

test('vectors are many and cover every error code', () => {
  assert.ok(VECTORS.cases.length >= 180 && VECTORS.errors.length >= 30)
  const codes = new Set(VECTORS.errors.map(v => v.code))
  assert.equal(codes.size, 9)
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

test('evaluation never throws for data', () => {
  const values = [null, undefined, '', ' ', '0', '-1.5', 'abc', 0, -0, 7, 2.5, NaN, Infinity,
    true, false, [], ['a', 'b'], [1, null], {}, { lat: -12.1, lon: -77 }]
  const texts = ['selected(${a}, ${b})', 'count-selected(${a})', 'string-length(${a})', 'not(${a})',
    'if(${a}, ${b}, ${c})', 'coalesce(${a}, ${b})', 'number(${a})', 'string(${a})', 'int(${a})',
    'round(${a})', 'round(${a}, ${b})', 'concat(${a}, ${b})', 'contains(${a}, ${b})',
    'starts-with(${a}, ${b})', 'substr(${a}, ${b})', 'substr(${a}, ${b}, ${c})', 'today()',
    'regex(${a}, ${b})', 'min(${a}, ${b})', 'max(${a}, ${b})', '-${a}', '.',
    ...['or', 'and', '=', '!=', '<', '<=', '>', '>=', '+', '-', '*', 'div', 'mod'].map(op => `\${a} ${op} \${b}`)]
  const exprs = texts.map(parse)
  for (const a of values) {
    for (const b of values) {
      for (const expr of exprs) expr.evaluate({ a, b, c: a }, { current: a, today: '2024-05-01' })
    }
  }
})

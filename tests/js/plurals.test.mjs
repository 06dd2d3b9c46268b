// pwa/i18n.js's plural rules: the Plural-Forms expression of a .po file, compiled without
// eval. Our two catalogs, and harder ones so the parser is not fitted to them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compilePlural, ngettext } from '../../pwa/i18n.js'

test('Spanish and Quechua', () => {
  const es = compilePlural('(n != 1)')
  const qu = compilePlural('0')
  assert.deepEqual([0, 1, 2, 21].map(es), [1, 0, 1, 1])
  assert.deepEqual([0, 1, 2, 21].map(qu), [0, 0, 0, 0])
})

test('precedence, ternaries and parentheses (Polish, Russian, Arabic)', () => {
  const pl = compilePlural('(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)')
  assert.deepEqual([1, 2, 4, 5, 12, 22, 25, 112].map(pl), [0, 1, 1, 2, 2, 1, 2, 2])
  const ru = compilePlural('(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)')
  assert.deepEqual([1, 11, 21, 3, 13, 5].map(ru), [0, 2, 0, 1, 2, 2])
  const ar = compilePlural('(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)')
  assert.deepEqual([0, 1, 2, 3, 11, 100].map(ar), [0, 1, 2, 3, 4, 5])
  assert.equal(compilePlural('!(n == 1)')(1), 0)
})

test('without a loaded catalog the English source picks its form', () => {
  assert.equal(ngettext('%(count)s star', '%(count)s stars', 1), '1 star')
  assert.equal(ngettext('%(count)s star', '%(count)s stars', 3), '3 stars')
})

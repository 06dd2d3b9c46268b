// The v2 form engine without a browser: the definition's structure and answer paths,
// repeats (counts, nested instances, instance-relative references), calculations kept up
// to date incrementally, defaults, checks per instance, the clean answers tree, choice
// filters (also over a 50,000-row list) and the CSV reader.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cleanAnswers, instanceName, judge, pageProblems } from '../../pwa/form/logic.js'
import { applyDefaults, createEngine, downstream, graphOf } from '../../pwa/form/calc.js'
import { choicesFor, fold, listFromText, registerFileList, searchRows } from '../../pwa/form/choices.js'
import { parseCsv } from '../../pwa/form/csv.js'
import { compile, controlId, key, parsePath } from '../../pwa/form/structure.js'
import { Scopes } from '../../pwa/form/expr.js'

const t = (es) => ({ es, qu: es })

const household = {
  languages: ['es', 'qu', 'en'],
  default_language: 'es',
  title: t('Hogar'),
  instance_name: "concat(${HH_name}, ' — ', ${village})",
  pages: [{
    id: 'household',
    questions: [
      { id: 'HH_name', type: 'text', label: t('Apellido'), required: true, required_message: { es: 'Falta el apellido', qu: 'Ayllu sutita churay' } },
      { id: 'village', type: 'text', label: t('Pueblo'), default: 'Carumas' },
      { id: 'size', type: 'integer', label: t('Personas'), constraint: '. >= 1 and . <= 30' },
      {
        id: 'members', type: 'repeat', label: t('Persona'), repeat_count: '${size}',
        questions: [
          { id: 'm_name', type: 'text', label: t('Nombre de la persona ${m_pos}') },
          { id: 'm_pos', type: 'calculate', calculation: 'position(..)' },
          { id: 'age', type: 'integer', label: t('Edad'), required: true, constraint: '. < 120' },
          { id: 'adult', type: 'calculate', calculation: "if(${age} >= 18, 'yes', 'no')" },
          { id: 'work', type: 'text', label: t('Trabajo'), relevance: '${age} >= 18' },
          {
            id: 'kids', type: 'repeat', label: t('Hijo'), relevance: "${adult} = 'yes'",
            questions: [
              { id: 'kid_name', type: 'text', label: t('Nombre') },
              { id: 'vaccinated', type: 'select_one', label: t('Vacunado'), default: 'no', choices: [{ value: 'yes', label: t('Sí') }, { value: 'no', label: t('No') }] }
            ]
          }
        ]
      },
      { id: 'people', type: 'calculate', calculation: 'count(${members})' },
      { id: 'total_age', type: 'calculate', calculation: 'sum(${age})' },
      { id: 'note_total', type: 'note', label: t('Suma ${total_age}') }
    ]
  }]
}

test('the structure knows every item, its repeats and the paths of answers', () => {
  const form = compile(household)
  assert.deepEqual(form.ancestors.kid_name, ['members', 'kids'])
  assert.deepEqual(form.ancestors.members, [])
  assert.deepEqual(form.ancestors.kids, ['members'])
  assert.equal(form.find('age').repeats.at(-1), 'members')
  assert.equal(key('age', [['members', 1]]), 'members[1].age')
  assert.deepEqual(parsePath('members[1].kids[0].kid_name'), { id: 'kid_name', at: [['members', 1], ['kids', 0]] })
  assert.deepEqual(parsePath('HH_name'), { id: 'HH_name', at: [] })
  assert.equal(controlId('age', [['members', 0]]), 'q-age__0')
})

test('repeat_count makes the instances, calculations fill each one and totals follow', () => {
  const answers = {}
  applyDefaults(compile(household), answers, [])
  const engine = createEngine(household, answers)
  engine.settle(new Set(), { initial: true, fresh: true })
  assert.equal(answers.village, 'Carumas')
  answers.size = 2
  let { judged } = engine.settle(new Set(['size']))
  assert.equal(answers.members.length, 2)
  assert.deepEqual(answers.members.map((m) => m.m_pos), ['1', '2'])
  answers.members[0].age = 40
  judged = engine.settle(new Set(['age'])).judged
  answers.members[1].age = 11
  judged = engine.settle(new Set(['age'])).judged
  assert.equal(answers.members[0].adult, 'yes')
  assert.equal(answers.members[1].adult, 'no')
  assert.equal(answers.people, '2')
  assert.equal(answers.total_age, '51')
  // work is asked of the adult only; kids only for the adult
  assert.ok(judged.relevant.has('members[0].work'))
  assert.ok(!judged.relevant.has('members[1].work'))
  assert.ok(judged.relevant.has('members[0].kids'))
  assert.ok(!judged.relevant.has('members[1].kids'))
  // instance-relative required messages, with paths
  answers.HH_name = undefined
  delete answers.members[1].age
  judged = engine.settle(new Set(['age'])).judged
  const problems = pageProblems(household, 0, answers, 'qu', judged)
  assert.deepEqual(problems, { HH_name: 'Ayllu sutita churay', 'members[1].age': 'This question is required.' })
})

test('a lower count hides the extra instances, keeps their answers and never sends them', () => {
  const answers = { size: 3 }
  const engine = createEngine(household, answers)
  engine.settle(new Set(), { initial: true })
  answers.members[2].m_name = 'Juana'
  answers.size = 2
  const { judged } = engine.settle(new Set(['size']))
  assert.equal(answers.members.length, 3)
  assert.equal(answers.members[2].m_name, 'Juana')
  const sent = cleanAnswers(household, answers, judged).answers
  assert.equal(sent.members.length, 2)
  answers.size = 3
  const back = engine.settle(new Set(['size'])).judged
  assert.equal(cleanAnswers(household, answers, back).answers.members[2].m_name, 'Juana')
})

test('clean answers: nested lists, {} for an empty instance, nothing of a skipped branch', () => {
  const answers = {
    HH_name: 'Quispe', village: 'Carumas', size: 2,
    members: [
      { m_name: 'Rosa', age: 46, work: 'chacra', kids: [{ kid_name: 'Ana', vaccinated: 'yes' }, {}] },
      { age: 11, work: 'should vanish', kids: [{ kid_name: 'not asked' }] }
    ]
  }
  const engine = createEngine(household, answers)
  const { judged } = engine.settle(new Set(), { initial: true })
  const { answers: clean } = cleanAnswers(household, answers, judged)
  assert.deepEqual(clean.members[0].kids, [{ kid_name: 'Ana', vaccinated: 'yes' }, {}])
  assert.equal(clean.members[1].work, undefined)
  assert.equal(clean.members[1].kids, undefined)
  assert.equal(clean.members[1].m_pos, '2')
  assert.equal(clean.note_total, undefined)
  assert.equal(instanceName(household, judged), 'Quispe — Carumas')
})

test('a new instance gets its defaults', () => {
  const answers = {}
  const form = compile(household)
  applyDefaults(form, answers, [['members', 0], ['kids', 0]])
  assert.equal(answers.members[0].kids[0].vaccinated, 'no')
})

test('only what depends on a change is recomputed, in topological order', () => {
  const chain = {
    languages: ['es'], title: t('x'),
    pages: [{
      id: 'p', questions: [
        { id: 'a', type: 'integer', label: t('a') },
        { id: 'c', type: 'calculate', calculation: '${b} + 1' },
        { id: 'b', type: 'calculate', calculation: '${a} * 2' },
        { id: 'other', type: 'integer', label: t('o') },
        { id: 'd', type: 'calculate', calculation: '${other} + 0' },
        { id: 'tmp', type: 'integer', label: t('t'), calculation: '${a} + 100' },
        { id: 'trig', type: 'text', label: t('t'), calculation: "concat('seen ', ${other})", trigger: 'a' }
      ]
    }]
  }
  const graph = graphOf(chain)
  const order = downstream(graph, ['a']).map((n) => n.id)
  assert.deepEqual([...order].sort(), ['b', 'c', 'tmp', 'trig'])
  assert.ok(order.indexOf('b') < order.indexOf('c'))
  assert.deepEqual(downstream(graph, ['other']).map((n) => n.id), ['d'])
  const answers = { a: 1 }
  const engine = createEngine(chain, answers)
  engine.settle(new Set(), { initial: true, fresh: true })
  assert.equal(answers.c, '3')
  assert.equal(answers.tmp, 101)
  assert.equal(answers.trig, undefined) // only when a changes
  answers.tmp = 7 // the user may change a computed default…
  answers.other = 5
  engine.settle(new Set(['other']))
  assert.equal(answers.tmp, 7)
  assert.equal(answers.trig, undefined)
  answers.a = 2 // …until what it depends on changes
  engine.settle(new Set(['a']))
  assert.equal(answers.tmp, 102)
  assert.equal(answers.c, '5')
  assert.equal(answers.trig, 'seen 5')
})

test('a thousand-row form with 300 calculates recomputes one change quickly', () => {
  const questions = []
  for (let i = 0; i < 700; i += 1) questions.push({ id: `q${i}`, type: 'integer', label: t(`q${i}`), relevance: i % 5 === 4 ? `\${q${i - 1}} > 0` : undefined })
  for (let i = 0; i < 300; i += 1) questions.push({ id: `c${i}`, type: 'calculate', calculation: i ? `coalesce(\${c${i - 1}}, 0) + coalesce(\${q${i}}, 0)` : 'coalesce(${q0}, 0)' })
  const big = { languages: ['es'], title: t('big'), pages: [{ id: 'p', questions }] }
  const answers = {}
  const engine = createEngine(big, answers)
  let started = performance.now()
  engine.settle(new Set(), { initial: true, fresh: true })
  const open = performance.now() - started
  answers.q10 = 3
  started = performance.now()
  engine.settle(new Set(['q10']))
  const change = performance.now() - started
  assert.equal(answers.c299, '3')
  assert.ok(open < 200 && change < 100, `open ${open} ms, change ${change} ms`)
})

test('choice filters narrow a list per answer, by columns, quickly on 50,000 rows', () => {
  const rows = ['name,label::Español (es),label::qu,prov']
  for (let i = 0; i < 50000; i += 1) rows.push(`v${i},"Pueblo ${i}, Ñuñoa",Llaqta ${i},p${i % 500}`)
  const list = listFromText(rows.join('\r\n'), { file: 'villages.csv', value: 'name', label: 'label' })
  assert.equal(list.rows.length, 50000)
  assert.deepEqual(list.rows[1].label, { es: 'Pueblo 1, Ñuñoa', qu: 'Llaqta 1' })
  registerFileList('f'.repeat(64), list)
  const survey = {
    languages: ['es', 'qu'], title: t('x'), files: [{ name: 'villages.csv', sha256: 'f'.repeat(64), size: 1, content_type: 'text/csv' }],
    pages: [{
      id: 'p', questions: [
        { id: 'prov', type: 'select_one', label: t('p'), choices: [{ value: 'p7', label: t('P7') }] },
        { id: 'village', type: 'select_one', label: t('v'), choices_from: { file: 'villages.csv', value: 'name', label: 'label' }, choice_filter: 'prov = ${prov}' },
        { id: 'theme', type: 'select_one', label: t('t'), choices: [{ value: 'a', label: t('A') }, { value: 'b', label: t('B') }] },
        { id: 'project', type: 'select_one', label: t('p'), choice_filter: "kind = ${theme} or name = 'any'", choices: [{ value: 'any', label: t('Any') }, { value: 'p1', label: t('P1'), data: { kind: 'a' } }, { value: 'p2', label: t('P2'), data: { kind: 'b' } }] }
      ]
    }]
  }
  const form = compile(survey)
  const answers = { prov: 'p7', theme: 'b' }
  const scope = new Scopes(form, answers).at([])
  const started = performance.now()
  const found = choicesFor(form, form.find('village'), scope)
  const elapsed = performance.now() - started
  assert.equal(found.length, 100)
  assert.ok(found.every((r) => r.columns.prov === 'p7'))
  assert.ok(elapsed < 50, `${elapsed} ms`)
  assert.deepEqual(choicesFor(form, form.find('project'), scope).map((r) => r.value), ['any', 'p2'])
  // the stale answer of a cascade is reported, not dropped
  const judged = judge(survey, { ...answers, village: 'v1' })
  assert.deepEqual(pageProblems(survey, 0, { ...answers, village: 'v1' }, 'es', judged), { village: 'Choose one of the options.' })
  // searching ignores accents and case
  const text = (l) => l.es
  assert.equal(fold('ÑUÑOA Árbol'), 'nunoa arbol')
  assert.equal(searchRows(list, found, 'nunoa 49507', 'es', text).length, 1)
  assert.equal(searchRows(list, list.rows, 'pueblo', 'es', text).length, 50)
})

test('CSV: quotes, doubled quotes, line breaks inside quotes, CRLF and a BOM', () => {
  assert.deepEqual(parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\n"two\nlines",\n'),
    [['a', 'b'], ['x, y', 'say "hi"'], ['two\nlines', '']])
  assert.deepEqual(parseCsv('a,b'), [['a', 'b']])
})

test('or_other adds the choice and asks the text in the same instance', () => {
  const survey = {
    languages: ['es'], title: t('x'),
    pages: [{ id: 'p', questions: [{ id: 'crop', type: 'select_multiple', label: t('c'), or_other: true, choices: [{ value: 'maiz', label: t('Maíz') }] }] }]
  }
  const form = compile(survey)
  assert.ok(form.find('crop_other'))
  const scope = new Scopes(form, {}).at([])
  assert.deepEqual(choicesFor(form, form.find('crop'), scope).map((r) => r.value), ['maiz', 'other'])
  assert.ok(!judge(survey, { crop: ['maiz'] }).relevant.has('crop_other'))
  const judged = judge(survey, { crop: ['other'], crop_other: 'quinua' })
  assert.deepEqual(cleanAnswers(survey, { crop: ['other'], crop_other: 'quinua' }, judged).answers, { crop: ['other'], crop_other: 'quinua' })
})

// The form's rules without a browser: relevance in survey order, required and constraint
// checks, what is sent after a skipped branch, and the photo size arithmetic.
// Run with: node --test tests/js/ (tests/surveys/test_expressions_js.py runs it in pytest).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cleanAnswers, impliedMeta, judge, pageIsAsked, pageProblems, problem } from '../../pwa/form/logic.js'
import { fitWithin } from '../../pwa/form/image.js'

const label = { es: 'x', qu: 'x' }
const survey = {
  languages: ['es', 'qu'],
  default_language: 'es',
  title: label,
  pages: [
    {
      id: 'one',
      questions: [
        { id: 'district', type: 'place', label, required: true },
        { id: 'size', type: 'integer', label, required: true, constraint: '. >= 1 and . <= 30', constraint_message: { es: 'Entre 1 y 30', qu: '1-manta 30-kama' } },
        { id: 'daily', type: 'select_one', label, required: true, choices: [{ value: 'yes', label }, { value: 'no', label }] },
        { id: 'hours', type: 'integer', label, required: true, relevance: "${daily} = 'no'" },
        { id: 'after_hours', type: 'text', label, relevance: 'string-length(${hours}) > 0' }
      ]
    },
    {
      id: 'two',
      questions: [
        { id: 'problems', type: 'select_multiple', label, choices: [{ value: 'tank', label }, { value: 'none', label }], constraint: "not(selected(., 'none') and count-selected(.) >= 2)", constraint_message: { es: 'Ninguno solo', qu: 'Mana imapas sapallan' } },
        { id: 'photo', type: 'photo', label, relevance: "selected(${problems}, 'tank')" },
        { id: 'stars', type: 'rating', label },
        { id: 'day', type: 'date', label },
        { id: 'where', type: 'geopoint', label },
        { id: 'consent', type: 'select_one', label, required: true, choices: [{ value: 'yes', label }, { value: 'no', label }] },
        { id: 'phone', type: 'text', label, personal: true, relevance: "${consent} = 'yes'", max_length: 9 },
        { id: 'bye', type: 'note', label }
      ]
    }
  ]
}
const HASH = 'a'.repeat(64)

test('relevance follows the answers and a hidden question hides those that depend on it', () => {
  assert.ok(!judge(survey, { daily: 'yes' }).relevant.has('hours'))
  assert.ok(judge(survey, { daily: 'no' }).relevant.has('hours'))
  // hours answered earlier, then daily changed: hours is out, and so is what depends on it
  const judged = judge(survey, { daily: 'yes', hours: 4 })
  assert.ok(!judged.relevant.has('hours'))
  assert.ok(!judged.relevant.has('after_hours'))
  assert.equal(judged.effective.hours, undefined)
})

test('required questions are required only when asked', () => {
  assert.deepEqual(Object.keys(pageProblems(survey, 0, { daily: 'yes' }, 'es')).sort(), ['district', 'size'])
  assert.deepEqual(Object.keys(pageProblems(survey, 0, { daily: 'no' }, 'es')).sort(), ['district', 'hours', 'size'])
  assert.equal(problem(survey.pages[0].questions[1], {}, judge(survey, {}), 'es'), 'This question is required.')
})

test("constraints give the survey's own message in the interview language", () => {
  const answers = { district: '180101', size: 31, daily: 'yes' }
  assert.deepEqual(pageProblems(survey, 0, answers, 'qu'), { size: '1-manta 30-kama' })
  assert.deepEqual(pageProblems(survey, 0, { ...answers, size: 30 }, 'es'), {})
  assert.deepEqual(pageProblems(survey, 1, { problems: ['tank', 'none'], consent: 'no' }, 'es'), { problems: 'Ninguno solo' })
})

test('answers of the wrong type are refused, as the server would', () => {
  const judged = judge(survey, {})
  const q = (id) => survey.pages.flatMap((p) => p.questions).find((x) => x.id === id)
  assert.equal(problem(q('size'), { size: '4a' }, judged, 'es'), 'Enter a whole number.')
  assert.equal(problem(q('size'), { size: 2.5 }, judged, 'es'), 'Enter a whole number.')
  assert.equal(problem(q('stars'), { stars: 6 }, judged, 'es'), 'Choose from 1 to 5 stars.')
  assert.equal(problem(q('day'), { day: '2026-13-45' }, judged, 'es'), 'Enter a date as YYYY-MM-DD.')
  assert.equal(problem(q('day'), { day: '2026-11-23' }, judged, 'es'), null)
  assert.equal(problem(q('where'), { where: { lat: -17.2 } }, judged, 'es'), 'Enter a location with latitude and longitude.')
  assert.equal(problem(q('district'), { district: 'Ilo' }, judged, 'es'), 'Choose a district.')
  assert.equal(problem(q('daily'), { daily: 'maybe' }, judged, 'es'), 'Choose one of the options.')
  assert.match(problem(q('phone'), { phone: '9512345678', consent: 'yes' }, judge(survey, { consent: 'yes' }), 'es'), /Too long/)
})

test('a skipped branch sends nothing, personal data needs consent, files are listed', () => {
  const answers = {
    district: '180101', size: 4, daily: 'yes', hours: 6, problems: ['tank'], photo: HASH,
    consent: 'no', phone: '951234567', bye: 'ignored', stars: ''
  }
  const { answers: clean, attachments } = cleanAnswers(survey, answers)
  assert.deepEqual(clean, { district: '180101', size: 4, daily: 'yes', problems: ['tank'], photo: HASH, consent: 'no' })
  assert.deepEqual(attachments, [HASH])
  assert.deepEqual(impliedMeta(survey, clean), { district: '180101', consent: false })
  const withConsent = cleanAnswers(survey, { ...answers, consent: 'yes', problems: ['none'] })
  assert.equal(withConsent.answers.phone, '951234567')
  assert.equal(withConsent.answers.photo, undefined)
  assert.deepEqual(withConsent.attachments, [])
})

test('a page whose questions are all skipped is not shown', () => {
  const later = { ...survey.pages[0].questions[3], id: 'later_hours' }
  const onlyHidden = { ...survey, pages: [survey.pages[0], { id: 'p', questions: [later] }] }
  assert.ok(!pageIsAsked(onlyHidden, 1, judge(onlyHidden, { daily: 'yes' })))
  assert.ok(pageIsAsked(onlyHidden, 1, judge(onlyHidden, { daily: 'no' })))
  const onlyCalculated = { ...survey, pages: [survey.pages[0], { id: 'c', questions: [{ id: 'twice', type: 'calculate', calculation: '${size} * 2' }] }] }
  assert.ok(!pageIsAsked(onlyCalculated, 1, judge(onlyCalculated, { size: 2 })))
})

test('photos fit in 1600 px on the longest side, keep their shape and are never enlarged', () => {
  assert.deepEqual(fitWithin(4000, 3000), { width: 1600, height: 1200 })
  assert.deepEqual(fitWithin(1200, 5000), { width: 384, height: 1600 })
  assert.deepEqual(fitWithin(800, 600), { width: 800, height: 600 })
  assert.deepEqual(fitWithin(1600, 1600), { width: 1600, height: 1600 })
})

// Willay expression language (docs/expressions.md), twin of server/surveys/expressions.py;
// both pass tests/data/expression_vectors.json. Evaluating never throws for data problems.
// Modules: expr/parser.js (lexer, parser), expr/values.js (conversions, operators),
// expr/functions.js, expr/dates.js, expr/scope.js (Scope: repeats and their instances).
import { ExpressionError, MAX_DEPTH, MAX_LENGTH, build, tokenize } from './expr/parser.js'
import { Scope } from './expr/scope.js'
import { NodeSet, bool, chars, norm } from './expr/values.js'
import { nowText, todayText } from './expr/dates.js'

export { ExpressionError, MAX_DEPTH, MAX_LENGTH, NodeSet, Scope }

const EMPTY = Object.freeze({})
const NO_AT = Object.freeze([])
const NO_OPTIONS = Object.freeze({})

/**
 * Parse once: {source, references: Set, columns: Set, usesCurrent,
 * evaluate(scopeOrAnswers, {current, today, now, choice, language}), evaluateBool}.
 * choiceFilter: bare names are the columns of the choice being filtered (`name`: its value).
 */
export function parse (text, { choiceFilter = false } = {}) {
  const cs = chars(text)
  if (cs.length > MAX_LENGTH) throw new ExpressionError('too_long', MAX_LENGTH, 'expression too long')
  if (!/[^ \t\n\r]/.test(text)) throw new ExpressionError('empty', 0, 'empty expression')
  const info = { references: new Set(), columns: new Set(), usesCurrent: false, usesToday: false, usesNow: false }
  const fn = build(tokenize(cs), info, choiceFilter)
  // One environment per expression, refilled by every call (evaluation is synchronous and
  // never re-enters the same expression), so that evaluating allocates nothing itself.
  const env = { answers: EMPTY, chain: null, at: NO_AT, scope: null, current: '', today: '', now: '', choice: EMPTY, language: null }
  const evaluate = (answers, opts) => {
    const o = opts || NO_OPTIONS
    if (answers instanceof Scope) {
      env.answers = answers.answers
      env.chain = answers.shared.chain
      env.at = answers.at
      env.scope = answers
    } else {
      env.answers = answers || EMPTY
      env.chain = null
      env.at = NO_AT
      env.scope = null
    }
    env.current = info.usesCurrent ? norm(o.current) : ''
    env.today = info.usesToday ? todayText(o.today, o.now) : ''
    env.now = info.usesNow ? nowText(o.now) : ''
    env.choice = o.choice || EMPTY
    env.language = o.language || null
    return fn(env)
  }
  return {
    source: text,
    references: info.references,
    columns: info.columns,
    usesCurrent: info.usesCurrent,
    evaluate,
    evaluateBool: (answers, opts) => bool(evaluate(answers, opts))
  }
}

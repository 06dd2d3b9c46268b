// Where an expression is evaluated (docs/expressions.md, section 8): the answers tree,
// the repeats enclosing each id, the repeat instance; twin of expression_scope.py.
import { NodeSet, norm, own } from './values.js'

const EMPTY = Object.freeze({})
const NO_AT = Object.freeze([])
const shared = new WeakMap() // ancestors -> {chain: id -> array, repeats: Set | null}

function sharedOf (ancestors) {
  let found = shared.get(ancestors)
  if (found === undefined) {
    const chain = ancestors instanceof Map ? k => ancestors.get(k) : k => own(ancestors, k) ? ancestors[k] : undefined
    found = { chain, repeats: null, ancestors }
    shared.set(ancestors, found)
  }
  return found
}

export class Scope {
  // answers: the answers tree; ancestors: Map or object id -> array of the repeat ids
  // enclosing it, outermost first; at: [[repeatId, index0], ...]; labels:
  // (questionId, value, language) -> label or null, for jr:choice-name().
  constructor (answers, ancestors, at = NO_AT, labels = null) {
    this.answers = answers || EMPTY
    this.ancestors = ancestors || EMPTY
    this.at = at
    this.labels = labels
    this.shared = sharedOf(this.ancestors)
  }

  within (repeatId, index0) {
    return new Scope(this.answers, this.ancestors, [...this.at, [repeatId, index0]], this.labels)
  }

  get repeats () { // the repeat ids: every id that encloses another one
    const s = this.shared
    if (s.repeats === null) {
      s.repeats = new Set()
      const chains = s.ancestors instanceof Map ? s.ancestors.values() : Object.values(s.ancestors)
      for (const chain of chains) for (const r of chain || []) s.repeats.add(r)
    }
    return s.repeats
  }
}

export const get = (c, k) => c instanceof Map ? c.get(k) : own(c, k) ? c[k] : undefined
const instances = v => v.length > 0 && v.every(x => x !== null && typeof x === 'object' && !Array.isArray(x))
const isRepeat = (e, name, v) => (e.scope !== null && e.scope.repeats.has(name)) || (Array.isArray(v) && instances(v))
const asContainer = x => x !== null && typeof x === 'object' && !Array.isArray(x) ? x : EMPTY
// one '' per instance of a repeat (a repeat's instances have no value of their own)
const blanks = v => Array.isArray(v) ? new Array(v.length).fill('') : []

// ${name}: one value, or a NodeSet when a repeat enclosing name is neither one of the
// instances in `at` nor pinned (pins: repeat id -> index0, from indexed-repeat()).
export function lookup (e, name, pins) {
  const chain = e.chain === null ? undefined : e.chain(name)
  const depths = chain || NO_AT
  const at = e.at
  let container = e.answers
  let depth = 0
  for (; depth < depths.length; depth++) { // one instance at each level: no allocation
    const repeat = depths[depth]
    const index = pins !== undefined && own(pins, repeat) ? pins[repeat]
      : depth < at.length && at[depth][0] === repeat ? at[depth][1] : null
    if (index === null) break
    const list = get(container, repeat)
    container = Array.isArray(list) && index >= 0 && index < list.length ? asContainer(list[index]) : EMPTY // a missing instance is empty
  }
  if (depth === depths.length) {
    const v = get(container, name)
    if (typeof v === 'string' || typeof v === 'number') return v
    return isRepeat(e, name, v) ? new NodeSet(blanks(v)) : norm(v)
  }
  let containers = [container]
  for (; depth < depths.length; depth++) { // every instance from here on, unless pinned
    const repeat = depths[depth]
    const index = pins !== undefined && own(pins, repeat) ? pins[repeat] : null
    const found = []
    for (const c of containers) {
      const list = get(c, repeat)
      if (!Array.isArray(list)) continue
      if (index === null) for (const x of list) found.push(asContainer(x))
      else if (index >= 0 && index < list.length) found.push(asContainer(list[index]))
    }
    containers = found
  }
  const values = []
  for (const c of containers) {
    const v = get(c, name)
    if (isRepeat(e, name, v)) for (const blank of blanks(v)) values.push(blank)
    else values.push(norm(v))
  }
  return new NodeSet(values)
}

export const collapse = v => v instanceof NodeSet ? v.first() : v

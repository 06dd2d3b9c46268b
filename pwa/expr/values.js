// Values of the expression language, their conversions and operators
// (docs/expressions.md, sections 3 to 5); twin of server/surveys/expression_values.py.
import { dayNumber } from './dates.js'

export const own = (o, k) => Object.prototype.hasOwnProperty.call(o, k)

// The values of one field (or the instances of one repeat) in several repeat instances, in
// document order. Where one value is expected it gives its first value, '' when empty.
export class NodeSet {
  constructor (values = []) { this.values = values }
  first () { return this.values.length ? this.values[0] : '' }
  get length () { return this.values.length }
}

// Values: string, number, boolean, array of strings (select_multiple).
const isScalar = v => { const t = typeof v; return t === 'string' || t === 'number' || t === 'boolean' }
export function norm (v) {
  const t = typeof v
  if (t === 'string' || t === 'number' || t === 'boolean') return v
  if (Array.isArray(v)) return v.map(x => isScalar(x) ? String(x) : '')
  if (v && typeof v.lat === 'number' && typeof v.lon === 'number') return v.lat + ' ' + v.lon // geopoint
  return ''
}

export const bool = v => typeof v === 'number' ? v !== 0 && v === v : typeof v === 'boolean' ? v : v.length > 0
const NUMBER = /^[ \t\n\r]*-?[0-9]+(\.[0-9]+)?[ \t\n\r]*$/
const EDGES = /^[ \t\n\r]+|[ \t\n\r]+$/g
export function num (v) {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return +v
  if (typeof v !== 'string') return NaN
  if (NUMBER.test(v)) return Number(v)
  if (v.length < 10) return NaN
  const s = v.replace(EDGES, '')
  if (s.length < 10 || s[4] !== '-') return NaN
  const days = dayNumber(s)
  return days === null ? NaN : days
}
// String(number) is the layout the spec asks for ('0' for -0)
export const str = v => typeof v === 'string' ? v : Array.isArray(v) ? v.join(' ') : String(v)
const SPACES = /[ \t\n\r]+/
export const words = v => Array.isArray(v) ? v : str(v).split(SPACES).filter(Boolean)
export const chars = s => Array.from(s) // code points

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
  const ta = typeof a
  const tb = typeof b
  if (ta === 'boolean' || tb === 'boolean') return bool(a) === bool(b)
  if (ta === 'number' || tb === 'number') return num(a) === num(b)
  return str(a) === str(b)
}

const rel = test => (a, b) => typeof a === 'string' && typeof b === 'string' ? test(cmp(a, b), 0) : test(num(a), num(b))

export const BINARY = {
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

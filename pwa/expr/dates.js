// Dates and times in the expression language (docs/expressions.md, section 7); twin of
// server/surveys/expression_dates.py. A date 'YYYY-MM-DD' is a whole day number since
// 1970-01-01 (no time zone); a datetime with an offset is a fractional day number in UTC.
const MOMENT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?$/
const TIME = /^([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$/
export const DAY_MS = 86400000
const fdiv = (a, b) => Math.floor(a / b)

const MONTHS = {
  en: 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' '),
  es: 'ene feb mar abr may jun jul ago set oct nov dic'.split(' '),
  qu: 'Ene Feb Mar Abr May Jun Jul Ago Set Oct Nov Dic'.split(' ')
}
const WEEKDAYS = {
  en: 'Sun Mon Tue Wed Thu Fri Sat'.split(' '),
  es: 'dom lun mar mié jue vie sáb'.split(' '),
  qu: 'Dom Lun Mar Mié Jue Vie Sáb'.split(' ')
}

export function daysFromCivil (y, m, d) {
  y -= m <= 2 ? 1 : 0
  const era = fdiv(y, 400)
  const yoe = y - era * 400
  const doy = fdiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1
  const doe = yoe * 365 + fdiv(yoe, 4) - fdiv(yoe, 100) + doy
  return era * 146097 + doe - 719468
}

export function civilFromDays (z) {
  z += 719468
  const era = fdiv(z, 146097)
  const doe = z - era * 146097
  const yoe = fdiv(doe - fdiv(doe, 1460) + fdiv(doe, 36524) - fdiv(doe, 146096), 365)
  const doy = doe - (365 * yoe + fdiv(yoe, 4) - fdiv(yoe, 100))
  const mp = fdiv(5 * doy + 2, 153)
  const d = doy - fdiv(153 * mp + 2, 5) + 1
  const m = mp + (mp < 10 ? 3 : -9)
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

const MIN_DAY = daysFromCivil(0, 1, 1)
const MAX_DAY = daysFromCivil(9999, 12, 31)
const monthDays = (y, m) => m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31

function clock (h, mi, s, frac) {
  const hh = +h
  const mm = +mi
  const ss = +(s || 0)
  if (hh > 23 || mm > 59 || ss > 59) return null
  return ((hh * 60 + mm) * 60 + ss) * 1000 + Number(((frac || '') + '000').slice(0, 3))
}

function offset (text) { // minutes east of UTC; null when absent or out of range
  if (!text) return null
  if (text === 'Z') return 0
  const digits = text.slice(1).replace(':', '')
  const hours = +digits.slice(0, 2)
  const minutes = +(digits.slice(2) || 0)
  if (hours > 23 || minutes > 59) return null
  return (hours * 60 + minutes) * (text[0] === '-' ? -1 : 1)
}

// [day number of the written date, ms since its midnight or null, offset or null] or null
export function parseMoment (text) {
  const m = text.match(MOMENT)
  if (m === null) return null
  const year = +m[1]
  const month = +m[2]
  const day = +m[3]
  if (month < 1 || month > 12 || day < 1 || day > monthDays(year, month)) return null
  const days = daysFromCivil(year, month, day)
  if (m[4] === undefined) return [days, null, null]
  const ms = clock(m[4], m[5], m[6], m[7])
  const off = offset(m[8])
  if (ms === null || (m[8] && off === null)) return null
  return [days, ms, off]
}

export function dayNumber (text) {
  const moment = parseMoment(text)
  if (moment === null) return null
  const [days, ms, off] = moment
  return ms === null ? days : days + (ms - (off || 0) * 60000) / DAY_MS
}

// [day number, ms since midnight] of x days since 1970-01-01, to the nearest ms; or null
export function momentOfNumber (x) {
  if (!Number.isFinite(x)) return null
  const total = Math.floor(x * DAY_MS + 0.5)
  const days = fdiv(total, DAY_MS)
  return days >= MIN_DAY && days <= MAX_DAY ? [days, total - days * DAY_MS] : null
}

const pad = (x, w) => String(x).padStart(w, '0')
export const dateText = days => { const [y, m, d] = civilFromDays(days); return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` }
const names = (table, language) => table[String(language || '').replace('_', '-').split('-')[0].toLowerCase()] || table.en

export function formatMoment (days, ms, pattern, language) {
  const [y, m, d] = civilFromDays(days)
  const hour = fdiv(ms, 3600000)
  const fields = {
    Y: () => pad(y, 4),
    y: () => pad(y % 100, 2),
    m: () => pad(m, 2),
    n: () => String(m),
    b: () => names(MONTHS, language)[m - 1],
    d: () => pad(d, 2),
    e: () => String(d),
    H: () => pad(hour, 2),
    h: () => String(hour),
    M: () => pad(fdiv(ms, 60000) % 60, 2),
    S: () => pad(fdiv(ms, 1000) % 60, 2),
    3: () => pad(ms % 1000, 3),
    a: () => names(WEEKDAYS, language)[((days + 4) % 7 + 7) % 7]
  }
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '%' && i + 1 < pattern.length && Object.prototype.hasOwnProperty.call(fields, pattern[i + 1])) {
      out += fields[pattern[++i]]()
    } else {
      out += c
    }
  }
  return out
}

export function timeFraction (text) { // decimal-time(): wall-clock time as a fraction of a day
  const moment = parseMoment(text)
  if (moment !== null) return moment[1] === null ? NaN : moment[1] / DAY_MS
  const m = text.match(TIME)
  if (m === null) return NaN
  const ms = clock(m[1], m[2], m[3], m[4])
  return ms === null || (m[5] && offset(m[5]) === null) ? NaN : ms / DAY_MS
}

// now() as 'YYYY-MM-DDTHH:MM:SS.mmm±HH:MM': a valid ISO string as it is, a Date (default:
// the current time) in the device's offset.
export function nowText (now) {
  if (typeof now === 'string' && parseMoment(now) !== null) return now
  const t = now instanceof Date && !Number.isNaN(now.getTime()) ? now : new Date()
  const east = -t.getTimezoneOffset()
  const sign = east < 0 ? '-' : '+'
  const date = `${pad(t.getFullYear(), 4)}-${pad(t.getMonth() + 1, 2)}-${pad(t.getDate(), 2)}`
  const time = `${pad(t.getHours(), 2)}:${pad(t.getMinutes(), 2)}:${pad(t.getSeconds(), 2)}.${pad(t.getMilliseconds(), 3)}`
  return `${date}T${time}${sign}${pad(Math.floor(Math.abs(east) / 60), 2)}:${pad(Math.abs(east) % 60, 2)}`
}

// today(): the given date (a string, or a Date's local date), else the date of `now`.
export function todayText (today, now) {
  if (typeof today === 'string') return today
  if (today instanceof Date) return nowText(today).slice(0, 10)
  return nowText(now).slice(0, 10)
}

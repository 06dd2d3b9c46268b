"""Dates and times in the expression language (docs/expressions.md, section 7).

Dates are ISO texts ('2024-05-01'), datetimes ISO texts with an offset
('2024-05-01T10:15:00.000-05:00'). As numbers they are days since 1970-01-01: a date is
a whole day number (no time zone), a datetime a fractional one counted in UTC. This
module has no dependency on the rest of the evaluator; pwa/expr/dates.js is its twin.
"""

from __future__ import annotations

import datetime
import math
import re

# patterns for re.fullmatch (the re module keeps them compiled)
_MOMENT = (
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?"
    r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_TIME = r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
DAY_MS = 86_400_000

MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
    "es": "ene feb mar abr may jun jul ago set oct nov dic".split(),
    "qu": "Ene Feb Mar Abr May Jun Jul Ago Set Oct Nov Dic".split(),
}
WEEKDAYS = {
    "en": "Sun Mon Tue Wed Thu Fri Sat".split(),
    "es": "dom lun mar mié jue vie sáb".split(),
    "qu": "Dom Lun Mar Mié Jue Vie Sáb".split(),
}


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days from 1970-01-01 to the proleptic Gregorian date y-m-d."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(z: int) -> tuple[int, int, int]:
    """The date (year, month, day) that is z days after 1970-01-01."""
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (m <= 2), m, d


MIN_DAY = days_from_civil(0, 1, 1)
MAX_DAY = days_from_civil(9999, 12, 31)


def _month_days(y: int, m: int) -> int:
    if m == 2:
        return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
    return 30 if m in (4, 6, 9, 11) else 31


def _clock(h: str, mi: str, s: str | None, frac: str | None) -> int | None:
    hh, mm, ss = int(h), int(mi), int(s or 0)
    if hh > 23 or mm > 59 or ss > 59:
        return None
    return ((hh * 60 + mm) * 60 + ss) * 1000 + int(((frac or "") + "000")[:3])


def _offset(text: str | None) -> int | None:
    """Minutes east of UTC; None when there is no offset or it is out of range."""
    if not text:
        return None
    if text == "Z":
        return 0
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        return None
    return (hours * 60 + minutes) * (-1 if text[0] == "-" else 1)


def parse_moment(text: str) -> tuple[int, int | None, int | None] | None:
    """(day number of the written date, ms since its midnight or None, offset or None)."""
    match = re.fullmatch(_MOMENT, text)
    if match is None:
        return None
    y, m, d, h, mi, s, frac, off = match.groups()
    year, month, day = int(y), int(m), int(d)
    if not 1 <= month <= 12 or not 1 <= day <= _month_days(year, month):
        return None
    days = days_from_civil(year, month, day)
    if h is None:
        return days, None, None
    ms = _clock(h, mi, s, frac)
    offset = _offset(off)
    if ms is None or (off and offset is None):
        return None
    return days, ms, offset


def day_number(text: str) -> float | None:
    """A date as whole days since 1970-01-01, a datetime as fractional days in UTC."""
    moment = parse_moment(text)
    if moment is None:
        return None
    days, ms, offset = moment
    if ms is None:
        return float(days)
    return days + (ms - (offset or 0) * 60000) / DAY_MS


def moment_of_number(x: float) -> tuple[int, int] | None:
    """(day number, ms since midnight) of x days since 1970-01-01, to the nearest ms."""
    if x != x or x in (math.inf, -math.inf):
        return None
    total = math.floor(x * DAY_MS + 0.5)
    days, ms = total // DAY_MS, total % DAY_MS
    return (days, ms) if MIN_DAY <= days <= MAX_DAY else None


def date_text(days: int) -> str:
    y, m, d = civil_from_days(days)
    return f"{y:04d}-{m:02d}-{d:02d}"


def _names(table: dict[str, list[str]], language: str | None) -> list[str]:
    code = (language or "").replace("_", "-").split("-")[0].lower()
    return table.get(code) or table["en"]


def format_moment(days: int, ms: int, pattern: str, language: str | None) -> str:
    """pattern with %Y %y %m %n %b %d %e %H %h %M %S %3 %a replaced; other text kept."""
    y, m, d = civil_from_days(days)
    hour, minute, second = ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60
    fields = {
        "Y": f"{y:04d}",
        "y": f"{y % 100:02d}",
        "m": f"{m:02d}",
        "n": str(m),
        "b": _names(MONTHS, language)[m - 1],
        "d": f"{d:02d}",
        "e": str(d),
        "H": f"{hour:02d}",
        "h": str(hour),
        "M": f"{minute:02d}",
        "S": f"{second:02d}",
        "3": f"{ms % 1000:03d}",
        "a": _names(WEEKDAYS, language)[(days + 4) % 7],
    }
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "%" and i + 1 < n and pattern[i + 1] in fields:
            out.append(fields[pattern[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def time_fraction(text: str) -> float:
    """decimal-time(): the wall-clock time of a time or datetime as a fraction of a day."""
    moment = parse_moment(text)
    if moment is not None:
        return moment[1] / DAY_MS if moment[1] is not None else math.nan
    match = re.fullmatch(_TIME, text)
    if match is None:
        return math.nan
    h, mi, s, frac, off = match.groups()
    ms = _clock(h, mi, s, frac)
    if ms is None or (off and _offset(off) is None):
        return math.nan
    return ms / DAY_MS


def now_text(now: datetime.datetime | str | None) -> str:
    """now() as 'YYYY-MM-DDTHH:MM:SS.mmm±HH:MM', in the offset of `now` (local if naive)."""
    if isinstance(now, str) and parse_moment(now) is not None:
        return now
    moment = datetime.datetime.now() if not isinstance(now, datetime.datetime) else now
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.astimezone()
    delta = moment.utcoffset() or datetime.timedelta(0)
    minutes = round(delta.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    t = moment
    stamp = f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return f"{stamp}.{t.microsecond // 1000:03d}{sign}{hours:02d}:{rest:02d}"


def today_text(today: datetime.date | str | None, now: datetime.datetime | str | None) -> str:
    """today(): the given date, else the date of `now` when given, else the local date."""
    if today is None:
        if now is None:
            return datetime.date.today().isoformat()
        return now_text(now)[:10]
    if isinstance(today, datetime.datetime):
        return today.date().isoformat()
    if isinstance(today, datetime.date):
        return today.isoformat()
    return str(today)

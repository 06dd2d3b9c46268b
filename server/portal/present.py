"""Template helpers of the portal: a figure as words ("fewer than 5", "not shown"), numbers
in the reader's locale, and the es/qu text of a record."""

from __future__ import annotations

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from ..i18n import content_language
from ..review.formatting import peru_datetime
from .figures import Share, portal_k
from .privacy import SMALL, Figure


def figure_text(figure: Figure) -> Markup:
    """A count as the page shows it; class "fig" marks every published count (the privacy
    tests read them back)."""
    if figure.shown:
        return Markup('<span class="fig">%s</span>') % format_decimal(figure.value)
    kind = "fig-small" if figure.hidden == SMALL else "fig-hidden"
    return Markup('<span class="%s">%s</span>') % (kind, hidden_words(figure))


def hidden_words(figure: Figure) -> str:
    """What a suppressed figure says instead of its value."""
    if figure.hidden == SMALL:
        # "5-manta pisi": a non-breaking hyphen, so a narrow column never leaves "5-" alone
        return _("fewer than %(k)s", k=portal_k()).replace(f"{portal_k()}-",
                                                           f"{portal_k()}\u2011")
    return _("not shown (privacy)")


def share_text(share: Share, compact: bool = False) -> str:
    """The percent; when a part is suppressed, the same words as a suppressed count (a bare
    dash beside a shown total reads as "nothing"); "—" when there is nothing to share, and
    always in `compact` places (the badge)."""
    percent = share.percent
    if percent is not None:
        return format_percent(percent / 100)
    if compact:
        return "—"
    hidden = next((f for f in (share.whole, share.part) if not f.shown), None)
    if hidden is None or (hidden is share.part and share.whole.shown
                          and not share.whole.value):
        return "—"
    return hidden_words(hidden)


def percent_text(value: float | None) -> str:
    """A percent (0-100) in the reader's locale, "—" when there is none."""
    return "—" if value is None else format_percent(value / 100)


def number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits)


def money(value) -> str:
    """Soles with both decimals, in the reader's locale."""
    return "—" if value is None else format_decimal(value, format="#,##0.00")


def bar_width(figure: Figure, largest: int) -> int:
    """Percent width of a plain CSS bar; hidden figures draw no bar."""
    if not figure.shown or largest <= 0:
        return 0
    return max(1, round(100 * figure.value / largest))


def localized(es: str | None, qu: str | None) -> str:
    if content_language() == "qu" and qu:
        return qu
    return es or qu or ""


def from_dict(names: dict | None) -> str:
    names = names or {}
    return localized(names.get("es"), names.get("qu"))


def day(value) -> str:
    """dd/MM/yyyy in both languages (glossary §8): CLDR's medium form reads "28 Feb 2026"
    in Quechua."""
    return format_date(value, "dd/MM/yyyy") if value else "—"


HELPERS = {"figure_text": figure_text, "share_text": share_text, "percent_text": percent_text,
           "number": number, "money": money, "bar_width": bar_width, "localized": localized,
           "from_dict": from_dict, "day": day, "peru_datetime": peru_datetime}

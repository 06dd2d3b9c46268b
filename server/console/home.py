"""The console's start page: the dashboard (aggregates only, for every console role)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from ..dashboard import filter_options, present
from ..dashboard.aggregates import compute
from ..dashboard.cache import PENDING, cached_figures
from ..dashboard.headline import headline_figures
from ..dashboard.labels import CHANNEL_LABELS, LANGUAGE_LABELS, STATUS_LABELS
from ..submissions.filters import SubmissionFilter
from .access import area_limits, can, requires
from .blueprint import bp

FIELD_LABELS = {
    "survey": _l("Survey"), "version": _l("Version"), "from": _l("From"), "to": _l("To"),
    "place": _l("Place"), "theme": _l("Theme"), "project": _l("Project"),
    "status": _l("Status"), "language": _l("Language"), "channel": _l("Channel"),
    "device": _l("Promoter device"), "q": _l("Text search"),
}
# Filters that could single out one person's words or one promoter: only for roles that may
# read submissions. Counts per text search would let a viewer test what residents wrote.
SUBMISSION_LEVEL = ("q", "device")


def _allowed_args() -> dict:
    if can("submissions"):
        return dict(request.args)
    return {k: v for k, v in request.args.items() if k not in SUBMISSION_LEVEL}


@bp.get("/")
@requires("dashboard")
def home():
    areas = area_limits()
    try:
        flt = SubmissionFilter.from_args(_allowed_args(), areas=areas)
    except ValidationError as exc:
        bad = [str(FIELD_LABELS.get(name, name)) for name in sorted(exc.messages)]
        return render_template("console/home.html", bad_fields=bad, sections=None,
                               **_form(areas, request.args.get("place"))), 400
    data = cached_figures(("dashboard", flt), lambda: compute(flt))
    if data is PENDING:
        return render_template("console/home.html", bad_fields=[], sections=None, pending=True,
                               **_form(areas, flt.place))
    return render_template(
        "console/home.html", bad_fields=[], data=data, flt=flt,
        sections=present.sections(data, flt), total=format_number(data.total),
        computed_at=present.peru_time(data.computed_at),
        **_form(areas, flt.place))


def _form(areas: tuple[str, ...], place: str | None) -> dict:
    return {
        "args": _allowed_args(), "areas": areas, "text_search": can("submissions"),
        # what needs attention, for roles that may open the items behind the figures
        "headlines": headline_figures(areas) if can("submissions") else [],
        "options": {
            "survey": filter_options.survey_options(),
            "theme": filter_options.theme_options(),
            "project": filter_options.project_options(),
            "place": filter_options.place_options(areas, place),
            "status": STATUS_LABELS, "language": LANGUAGE_LABELS, "channel": CHANNEL_LABELS,
        },
    }

"""What the plan page shows for each theme and project: official facts (districts,
responsible body, reported progress) beside residents' feedback (counts, ratings, review
states), as text and as a small SVG with the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import format_decimal, format_number, format_percent, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from ..i18n import content_language
from ..plans.models import Plan, Project
from .charts import share_bars
from .labels import STATUS_LABELS, in_language
from .projects import ProjectFigures
from .ratings import SCALE


@dataclass
class ProjectRow:
    code: str
    name: str
    responsible: str
    districts: str
    progress: str
    feedback: str
    average: str
    good_share: str
    ratings: list[tuple[int, str]]
    statuses: list[tuple[str, str]]
    feedback_districts: str
    chart: Markup
    dashboard_url: str
    list_url: str


@dataclass
class ThemeRow:
    code: str
    name: str
    description: str
    projects: list[ProjectRow] = field(default_factory=list)


def _pct(share: float | None) -> str:
    return format_percent(share, "#,##0%") if share is not None else "–"


def project_row(project: Project, fig: ProjectFigures | None) -> ProjectRow:
    """fig None: the figures are still being computed (shown as “…”)."""
    lang = content_language()
    name = (project.name_qu if lang == "qu" else project.name_es) or project.name_es
    if fig is None:
        return ProjectRow(
            code=project.code, name=name, responsible=project.responsible or "",
            districts=", ".join(sorted(p.name for p in project.districts)),
            progress=_pct(project.progress_pct / 100), feedback="…", average="…",
            good_share="…", ratings=[], statuses=[], feedback_districts=_districts(2, "…"),
            chart=Markup(""), dashboard_url=url_for("console.home", project=project.code),
            list_url="")
    counts = fig.ratings
    average = format_decimal(counts.average, "0.0") if counts.average is not None else "–"
    progress = project.progress_pct / 100
    title = _("%(code)s: reported progress and residents' view", code=project.code)
    desc = ngettext(
        "Reported progress %(progress)s. Residents satisfied (ratings 4 or 5): "
        "%(good)s of %(count)s rating.",
        "Reported progress %(progress)s. Residents satisfied (ratings 4 or 5): "
        "%(good)s of %(count)s ratings.", counts.total, progress=_pct(progress),
        good=_pct(counts.good_share), count=format_number(counts.total))
    chart = share_bars(f"pj-{project.id}", title, desc, [
        (_("Reported progress"), progress, _pct(progress)),
        (_("Residents satisfied"), counts.good_share, _pct(counts.good_share)),
    ])
    return ProjectRow(
        code=project.code, name=name, responsible=project.responsible or "",
        districts=", ".join(sorted(p.name for p in project.districts)),
        progress=_pct(progress), feedback=format_number(fig.count), average=average,
        good_share=_pct(counts.good_share),
        ratings=[(v, format_number(counts.counts[v])) for v in reversed(SCALE)],
        statuses=[(str(STATUS_LABELS.get(s, s)), format_number(n))
                  for s, n in sorted(fig.by_status.items(), key=lambda item: -item[1])],
        feedback_districts=_districts(len(fig.districts), format_number(len(fig.districts))),
        chart=chart,
        dashboard_url=url_for("console.home", project=project.code),
        list_url=url_for("console.submissions", project=project.code)
        if "console.submissions" in _views() else "",
    )


def _districts(count: int, shown: str) -> str:
    return ngettext("Feedback from %(count)s district", "Feedback from %(count)s districts",
                    count, count=shown)


def _views() -> dict:
    from flask import current_app

    return current_app.view_functions


def plan_rows(plan: Plan, figures: dict[str, ProjectFigures] | None) -> list[ThemeRow]:
    themes = {t.id: ThemeRow(t.code, in_language(t.name, t.code),
                             in_language(t.description, "")) for t in plan.themes}
    for project in plan.projects:
        row = project_row(project, None if figures is None else figures.get(
            project.code, ProjectFigures()))
        themes[project.theme_id].projects.append(row)
    return list(themes.values())

"""A project for other websites: a small page to embed in an <iframe>, and an SVG badge
(reported progress and residents' satisfaction, suppressed like every public figure)."""

from __future__ import annotations

from flask import abort, make_response

from ..web.security import CSP
from . import services
from .figures import department_figures
from .views import bp, render_page

# any municipal or regional website may frame the widget; nothing else of ours
CSP_EMBEDDABLE = CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def _project_and_figures(project_id: int):
    found = services.project(project_id)
    if found is None or not found.plan.department_ubigeo:
        abort(404)
    return found, department_figures(found.plan.department_ubigeo)


@bp.get("/proyecto/<int:project_id>/widget")
def project_widget(project_id: int):
    found, figures = _project_and_figures(project_id)
    response = make_response(render_page("portal/widget.html", project=found,
                                         figures=figures))
    response.headers["Content-Security-Policy"] = CSP_EMBEDDABLE
    return response


@bp.get("/proyecto/<int:project_id>/insignia.svg")
def project_badge(project_id: int):
    found, figures = _project_and_figures(project_id)
    response = make_response(render_page("portal/badge.svg", project=found, figures=figures))
    response.mimetype = "image/svg+xml"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response

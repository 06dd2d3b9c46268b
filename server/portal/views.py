"""The public portal: region → province → district → project, actors, receipts. No sign-in,
server-rendered, small; every figure comes from figures.py (suppressed below k)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, make_response, render_template, request, url_for

from ..attachments.responses import stored_file_response
from ..codes import normalize_code
from ..extensions import limiter
from ..i18n import content_language
from ..submissions.receipts import find_receipt
from . import services
from .figures import department_figures, figures_checked_at, portal_k
from .labels import actor_type_labels, commitment_status_labels
from .place_facts import place_facts
from .present import HELPERS

bp = Blueprint("portal", __name__)
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


@bp.app_context_processor
def _helpers() -> dict:
    return {**HELPERS, "portal_url": portal_url}


def portal_url(endpoint: str, **values) -> str:
    """A portal link that keeps a language chosen with ?lang= (no cookie on public pages)."""
    if request.args.get("lang"):
        values.setdefault("lang", request.args["lang"])
    return url_for(endpoint, **values)


def render_page(template: str, **context):
    """A portal page; `updated` is when its figures were last found up to date."""
    return render_template(template, k=portal_k(), statuses=commitment_status_labels(),
                           actor_types=actor_type_labels(), updated=figures_checked_at(),
                           **context)


@bp.get("/")
def home():
    regions = services.regions()
    counts = {r.ubigeo: department_figures(r.ubigeo).place_count(r.ubigeo) for r in regions}
    return render_page("portal/home.html", regions=regions, counts=counts,
                 public_url=current_app.config["WILLAY"]["PUBLIC_URL"])


@bp.get("/region/<ubigeo>")
def region(ubigeo: str):
    department = services.place(ubigeo, "department")
    if department is None or not services.served_region(ubigeo):
        abort(404)
    figures = department_figures(ubigeo)
    return render_page("portal/region.html", department=department, figures=figures,
                 provinces=services.children(ubigeo), plans=services.plans_of(ubigeo))


@bp.get("/provincia/<ubigeo>")
def province(ubigeo: str):
    found = services.place(ubigeo, "province")
    if found is None or not services.served_region(found.department_ubigeo):
        abort(404)
    department = services.place(found.department_ubigeo, "department")
    return render_page("portal/province.html", province=found, department=department,
                 figures=department_figures(found.department_ubigeo),
                 districts=services.children(ubigeo))


@bp.get("/distrito/<ubigeo>")
def district(ubigeo: str):
    found = services.place(ubigeo, "district")
    if found is None or not services.served_region(found.department_ubigeo):
        abort(404)
    return render_page("portal/district.html", district=found,
                 province=services.place(found.parent_ubigeo, "province"),
                 department=services.place(found.department_ubigeo, "department"),
                 figures=department_figures(found.department_ubigeo),
                 facts=place_facts(ubigeo), projects=services.projects_in(ubigeo),
                 theme_names=services.theme_names(found.department_ubigeo))


@bp.get("/proyecto/<int:project_id>")
def project(project_id: int):
    found = services.project(project_id)
    if found is None or not found.plan.department_ubigeo:
        abort(404)
    figures = department_figures(found.plan.department_ubigeo)
    return render_page("portal/project.html", project=found, figures=figures,
                 department=services.place(found.plan.department_ubigeo, "department"),
                 history=services.progress_history(project_id),
                 commitments=services.commitments_on(project_id),
                 updates=services.updates_on(project_id), photo_types=PHOTO_TYPES,
                 quotes=services.quotes(found) if figures.project_count(project_id).shown
                 else [])


@bp.get("/actor/<code>")
def actor(code: str):
    found = services.actor(code)
    if found is None:
        abort(404)
    rows = services.commitments_of(found.id)
    tally = dict.fromkeys(commitment_status_labels(), 0)
    amounts = dict.fromkeys(commitment_status_labels(), Decimal(0))
    for commitment, _project in rows:
        tally[commitment.status] += 1
        amounts[commitment.status] += commitment.amount_pen or 0
    projects = {p.id: p for _c, p in rows}
    ratings = [(p, department_figures(p.plan.department_ubigeo).satisfaction(("proj", p.id)))
               for p in projects.values() if p.plan.department_ubigeo]
    return render_page("portal/actor.html", actor=found, rows=rows, tally=tally, amounts=amounts,
                 total=sum(amounts.values()), ratings=ratings)


def _receipt_limit() -> str:
    return current_app.config["WILLAY"]["RATELIMIT_RECEIPTS"]


@bp.get("/recibo")
@limiter.limit(_receipt_limit, exempt_when=lambda: not request.args.get("codigo"))
def receipt():
    """A resident's receipt (guessing is rate-limited like the API's; the team's reply is
    for them alone, so no browser or proxy keeps the page)."""
    typed = request.args.get("codigo", "").strip()
    found = answer = None
    unknown = False
    if typed:
        code = normalize_code(typed)
        found = find_receipt(typed, content_language()) if code else None
        unknown = found is None
        if found is not None:
            answer = services.update_answering(found.receipt)
    response = make_response(render_page("portal/receipt.html", typed=typed, found=found,
                                         answer=answer, unknown=unknown))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/novedad/<int:update_id>/foto")
def update_photo(update_id: int):
    """The photo of a coordinators' public update (an image, nothing else)."""
    found = services.public_update(update_id)
    if found is None or not found.photo_sha256 or found.photo_type not in PHOTO_TYPES:
        abort(404)
    response = stored_file_response(found.photo_sha256, found.photo_type,
                                    etag=found.photo_sha256, max_age=86400)
    if response is None:
        abort(404)
    return response

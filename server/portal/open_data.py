"""Open data: the same figures as the pages (figures.py, suppressed), as CSV and JSON at
stable addresses, with projects and commitments, a data dictionary and a licence."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, current_app, jsonify

from ..exports.writers import neutralise
from . import services
from .figures import department_figures
from .views import bp, render_page

FIGURE_COLUMNS = ("department", "measure", "ubigeo", "project_id", "detail", "value",
                  "status", "k")
PROJECT_COLUMNS = ("department", "plan", "project_id", "code", "name_es", "name_qu", "theme",
                   "progress_pct", "districts")
COMMITMENT_COLUMNS = ("department", "code", "project_id", "actor", "actor_type", "what_es",
                      "what_qu", "amount_pen", "due_date", "status", "fulfilled_on")


def _licence() -> dict:
    config = current_app.config["WILLAY"]
    return {"name": config["PORTAL_LICENCE"], "url": config["PORTAL_LICENCE_URL"]}


def _csv(rows: list[dict], columns: tuple[str, ...], name: str) -> Response:
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with accents right
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    # coordinators type these texts: none may run as a formula in a spreadsheet
    writer.writerows({k: neutralise(v) if isinstance(v, str) else v for k, v in row.items()}
                     for row in rows)
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _served(ubigeo: str) -> None:
    if services.place(ubigeo, "department") is None or not services.served_region(ubigeo):
        abort(404)


def _projects(ubigeo: str) -> list[dict]:
    return [{"department": ubigeo, "plan": plan.code, "project_id": p.id, "code": p.code,
             "name_es": p.name_es, "name_qu": p.name_qu, "theme": p.theme.code,
             "progress_pct": p.progress_pct,
             "districts": " ".join(sorted(d.ubigeo for d in p.districts))}
            for plan in services.plans_of(ubigeo) for p in plan.projects]


def _commitments(ubigeo: str) -> list[dict]:
    return [{"department": ubigeo, "code": c.code, "project_id": c.project_id,
             "actor": c.actor.code, "actor_type": c.actor.type, "what_es": c.what_es,
             "what_qu": c.what_qu,
             "amount_pen": "" if c.amount_pen is None else f"{c.amount_pen:.2f}",
             "due_date": c.due_date.isoformat() if c.due_date else "", "status": c.status,
             "fulfilled_on": c.fulfilled_on.isoformat() if c.fulfilled_on else ""}
            for plan in services.plans_of(ubigeo) for p in plan.projects
            for c in services.commitments_on(p.id)]


@bp.get("/datos")
def open_data():
    return render_page("portal/open_data.html", regions=services.regions(), licence=_licence())


@bp.get("/datos/<ubigeo>/cifras.csv")
def figures_csv(ubigeo: str):
    _served(ubigeo)
    return _csv(department_figures(ubigeo).published_rows(), FIGURE_COLUMNS,
                f"willay-{ubigeo}-cifras.csv")


@bp.get("/datos/<ubigeo>/proyectos.csv")
def projects_csv(ubigeo: str):
    _served(ubigeo)
    return _csv(_projects(ubigeo), PROJECT_COLUMNS, f"willay-{ubigeo}-proyectos.csv")


@bp.get("/datos/<ubigeo>/compromisos.csv")
def commitments_csv(ubigeo: str):
    _served(ubigeo)
    return _csv(_commitments(ubigeo), COMMITMENT_COLUMNS, f"willay-{ubigeo}-compromisos.csv")


@bp.get("/datos/<ubigeo>.json")
def department_json(ubigeo: str):
    _served(ubigeo)
    return jsonify({"licence": _licence(), "k": department_figures(ubigeo).k,
                    "figures": department_figures(ubigeo).published_rows(),
                    "projects": _projects(ubigeo), "commitments": _commitments(ubigeo)})

"""The demo with its sample feedback (both regions), for the portal's page tests."""

from __future__ import annotations

import pytest
import snapshot
from sqlalchemy import select

from server.extensions import db


@pytest.fixture
def portal_app(app_factory):
    """An app whose stored portal publications are brought up to date at every page: the
    refresh runs inline (no worker), as it does in the embedded set-up."""
    return app_factory(DASHBOARD_CACHE_SECONDS=0, JOBS_URL="immediate")


@pytest.fixture
def sampled(portal_app):
    """Demo plans, commitments, updates and ~200 sample submissions; some ids to visit."""
    from server.commitments.models import Actor
    from server.plans.models import Plan, Project

    with portal_app.app_context():
        snapshot.demo_and_samples(portal_app)
        projects = {code: pid for pid, code in db.session.execute(
            select(Project.id, Project.code))}
        actors = list(db.session.scalars(select(Actor.code)))
        regions = list(db.session.scalars(select(Plan.department_ubigeo)))
    return {"projects": projects, "actors": actors, "regions": regions}


@pytest.fixture
def public_paths(portal_app, sampled) -> list[str]:
    """Every kind of portal page, for the demo: regions, provinces, districts, projects,
    actors."""
    from server.plans.models import Project, project_districts

    app = portal_app
    paths = ["/", "/recibo", "/datos", "/comparar"]
    with app.app_context():
        from server.places.models import Place

        for region in sampled["regions"]:
            paths.extend([f"/region/{region}", f"/comparar/{region}"])
            provinces = db.session.scalars(select(Place.ubigeo).where(
                Place.parent_ubigeo == region).order_by(Place.ubigeo).limit(2))
            paths.extend(f"/provincia/{p}" for p in provinces)
        served = db.session.scalars(select(project_districts.c.ubigeo).distinct()
                                    .order_by(project_districts.c.ubigeo).limit(6))
        paths.extend(f"/distrito/{d}" for d in served)
        project_ids = list(db.session.scalars(select(Project.id).order_by(Project.id)))
        paths.extend(f"/proyecto/{pid}" for pid in project_ids)
        paths.extend(f"/proyecto/{pid}/widget" for pid in project_ids[::5])
    paths.extend(f"/actor/{code}" for code in sampled["actors"])
    return paths

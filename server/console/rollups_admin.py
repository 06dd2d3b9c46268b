"""Counting the figures again from the console (admins): the dashboard's and the portal's
counts (server/rollups) rebuilt from the submissions by a background job, with its
progress and the recent rebuilds. Two clicks share one job."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..jobs.models import Job
from ..rollups.jobs import request_rebuild
from .access import requires
from .blueprint import bp
from .job_status import status_json

KIND = "rollups_rebuild"
RECENT = 5


@bp.route("/figures", methods=["GET", "POST"])
@requires("maintenance")
def rollups_admin():
    if request.method == "POST":
        job, created = request_rebuild(user=current_user)
        if not created:
            flash(_("The figures are already being counted again: follow it below."),
                  "warning")
        return redirect(url_for("console.rollups_admin", _anchor=f"job-{job.id}"), 303)
    jobs = list(db.session.scalars(select(Job).where(Job.kind == KIND)
                                   .order_by(Job.id.desc()).limit(RECENT)))
    return render_template("console/rollups.html", jobs=jobs, status_json=status_json)


@bp.route("/figures/jobs/<int:job_id>")
@requires("maintenance")
def rollups_status(job_id: int):
    job = db.get_or_404(Job, job_id)
    if job.kind != KIND:
        return jsonify({"error": "not_found"}), 404
    response = jsonify(status_json(job))
    response.headers["Cache-Control"] = "no-store"
    return response

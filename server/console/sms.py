"""Console pages for SMS: gateway set-up and queue, a test message, blocking a number, each
survey's SMS settings and prompts with their cost, and a submission's conversation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..i18n import content_language
from ..review.listing import get_visible
from ..sms.contacts import find_contact, set_blocked
from ..sms.fit import sms_plan
from ..sms.inbox import ensure_contact
from ..sms.labels import kind_label, language_name
from ..sms.models import SmsContact, SmsSurveySettings
from ..sms.outbox import enqueue, send_due
from ..sms.overview import (
    conversation_for,
    gateway_status,
    keywords_text,
    parse_keywords,
    survey_rows,
)
from ..sms.phones import normalize_number, number_hash
from ..sms.prompts_cost import prompt_costs
from ..sms.surveys import KeywordTaken, NotForSms, configure, latest_published
from ..submissions.models import Submission
from ..surveys.models import Survey
from . import timefmt  # noqa: F401  (the peru_time filter)
from .access import area_limits, requires
from .blueprint import bp


@bp.get("/sms")
@requires("surveys")
def sms():
    return render_template("console/sms.html", status=gateway_status(), surveys=survey_rows(),
                           keywords_text=keywords_text, kind_label=kind_label,
                           lang=content_language())


@bp.post("/sms/test")
@requires("surveys")
def sms_test():
    number = normalize_number(request.form.get("number", ""))
    text = request.form.get("text", "").strip()[:459]
    if number is None or not text:
        flash(_("Write a phone number and a message."), "error")
        return redirect(url_for("console.sms"))
    digest = number_hash(number)
    ensure_contact(digest, number)
    enqueue(digest, text, "test")
    db.session.commit()
    report = send_due(limit=5, number_hash=digest)
    if report.sent:
        flash(_("Test message handed to the gateway."))
    else:
        flash(_("The gateway did not take the message; it waits in the queue."), "error")
    return redirect(url_for("console.sms"))


@bp.post("/sms/block")
@requires("surveys")
def sms_block():
    contact = find_contact(request.form.get("number", ""))
    if contact is None:
        flash(_("This number never wrote to the programme."), "error")
    else:
        blocked = request.form.get("action") != "unblock"
        set_blocked(contact, blocked, current_user)
        flash(_("Number blocked.") if blocked else _("Number unblocked."))
    return redirect(url_for("console.sms"))


def _survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        abort(404)
    return survey


@bp.route("/sms/surveys/<int:survey_id>", methods=["GET", "POST"])
@requires("surveys")
def sms_survey(survey_id: int):
    survey = _survey(survey_id)
    settings = db.session.get(SmsSurveySettings, survey_id)
    version = latest_published(survey_id)
    steps, misfits = sms_plan(version.definition) if version else ([], [])
    status, problems = 200, []
    if request.method == "POST":
        prompts = {step.id: {lang: request.form.get(f"prompt_{step.id}_{lang}", "").strip()
                             for lang in ("es", "qu")} for step in steps}
        prompts = {k: {lang: t for lang, t in v.items() if t} for k, v in prompts.items()}
        prompts = {k: v for k, v in prompts.items() if v}
        keywords = parse_keywords(request.form.get("keywords", ""))
        enabled = request.form.get("enabled") == "on"
        if enabled and not keywords:
            problems = [_("Write at least one keyword.")]
        else:
            try:
                configure(survey_id, enabled, keywords, prompts)
                flash(_("SMS settings saved."))
                return redirect(url_for("console.sms_survey", survey_id=survey_id))
            except NotForSms as refused:
                problems = [f"{m.question_id}: {m.reason}" for m in refused.misfits] or [
                    _("Publish the survey first.")]
            except KeywordTaken as taken:
                problems = [_("These keywords are commands or start another survey: "
                              "%(words)s", words=", ".join(taken.words))]
        status = 422
    return render_template("console/sms_survey.html", survey=survey, settings=settings,
                           steps=steps, misfits=misfits, costs=prompt_costs(survey_id),
                           keywords=keywords_text(settings), problems=problems,
                           form=request.form if request.method == "POST" else None,
                           lang=content_language(), language_name=language_name,
                           kind_label=kind_label), status


def _sms_submission(submission_id: int) -> Submission:
    """An SMS submission the user may see (area limits as in the submission list)."""
    submission = get_visible(submission_id, area_limits())
    if submission is None or submission.channel != "sms":
        abort(404)
    return submission


@bp.get("/sms/conversations/<int:submission_id>")
@requires("personal")
def sms_conversation(submission_id: int):
    submission = _sms_submission(submission_id)
    conv, number, lines = conversation_for(submission.uuid)
    if conv is None:
        abort(404)
    contact = db.session.get(SmsContact, conv.number_hash)
    return render_template("console/sms_conversation.html", submission=submission, conv=conv,
                           number=number, lines=lines, contact=contact,
                           language_name=language_name)


@bp.post("/sms/conversations/<int:submission_id>/block")
@requires("personal")
def sms_conversation_block(submission_id: int):
    submission = _sms_submission(submission_id)
    conv = conversation_for(submission.uuid)[0]
    if conv is None:
        abort(404)
    contact = db.session.get(SmsContact, conv.number_hash)
    blocked = request.form.get("action") != "unblock"
    set_blocked(contact, blocked, current_user)
    flash(_("Number blocked.") if blocked else _("Number unblocked."))
    return redirect(url_for("console.sms_conversation", submission_id=submission_id))

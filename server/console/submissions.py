"""Submissions in the console: the filtered list, one submission, review and reply."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from ..i18n import content_language
from ..portal.authoring import publishable_questions, quotable_ids
from ..review.detail import submission_detail
from ..review.filter_options import FIELD_LABELS, filter_options
from ..review.formatting import peru_datetime
from ..review.labels import CHANNEL_LABELS, LANGUAGE_LABELS, STATUS_LABELS, status_label
from ..review.list_rows import list_rows
from ..review.listing import Cursor, PageArgsSchema, capped_count, get_visible, list_page
from ..review.schemas import ReplyFormSchema, ReviewFormSchema
from ..review.services import ReviewRefused, change_status, reply
from ..sms.replies import reply_language
from ..submissions.filters import SubmissionFilter
from .access import area_limits, can, requires
from .blueprint import bp

PAGE_ARGS = PageArgsSchema()


@bp.app_template_filter("peru_datetime")
def _peru_datetime(value):
    return peru_datetime(value)


def _filter_errors(err: ValidationError) -> list[str]:
    return [_("%(field)s: this value is not valid.", field=FIELD_LABELS.get(name, name))
            for name in sorted(err.messages)]


@bp.get("/submissions")
@requires("submissions")
def submissions():
    areas = area_limits()
    errors: list[str] = []
    try:
        filt = SubmissionFilter.from_args(request.args, areas=areas)
    except ValidationError as err:
        errors = _filter_errors(err)
        filt = None
    try:
        paging = PAGE_ARGS.load(request.args)
    except ValidationError:
        errors.append(_("This page link is damaged. Start again from the first page."))
        paging = None
    page, rows, count = None, [], None
    if filt is not None and paging is not None:
        after, before = paging.get("after"), paging.get("before")
        page = list_page(filt, after=Cursor.parse(after) if after else None,
                         before=Cursor.parse(before) if before and not after else None)
        rows = list_rows(page.rows, content_language(), can("personal"))
        if not (after or before):  # counted on the first page only, and only if needed
            count = capped_count(filt) if page.next else (len(page.rows), False)
    chosen = filt.as_args() if filt else {k: v for k, v in request.args.items()
                                          if k in FIELD_LABELS}
    return render_template(
        "console/submissions.html", rows=rows, page=page, count=count, errors=errors,
        count_text=format_number(count[0]) if count else "",
        chosen=chosen, filter_args=filt.as_args() if filt else {},
        options=filter_options(content_language(), areas, filt.place if filt else None),
        status_labels=STATUS_LABELS, channel_labels=CHANNEL_LABELS,
        language_labels=LANGUAGE_LABELS, limited=bool(areas),
    ), 400 if errors else 200


def _visible_or_404(submission_id: int):
    sub = get_visible(submission_id, area_limits())
    if sub is None:
        abort(404)
    return sub


def _detail_page(submission_id: int, errors: dict[str, list[str]] | None = None,
                 form: dict | None = None, status: int = 200):
    sub = _visible_or_404(submission_id)
    detail = submission_detail(sub, content_language(), with_personal=can("personal"))
    return render_template("console/submission.html", d=detail, errors=errors or {},
                           form=form or {}, status_label=status_label,
                           channel_labels=CHANNEL_LABELS,
                           language_labels=LANGUAGE_LABELS,
                           publishable=publishable_questions(sub.id),
                           quotable=quotable_ids(sub)), status


@bp.get("/submissions/<int:submission_id>")
@requires("submissions")
def submission(submission_id: int):
    return _detail_page(submission_id)


def _messages(err: ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] if isinstance(v, list) else [str(v)]
            for k, v in err.messages.items()}


@bp.post("/submissions/<int:submission_id>/review")
@requires("review")
def review_submission(submission_id: int):
    _visible_or_404(submission_id)
    try:
        data = ReviewFormSchema().load(request.form)
        change_status(submission_id, data["status"], data["comment"], current_user)
    except ValidationError as err:
        return _detail_page(submission_id, {"review": sum(_messages(err).values(), [])},
                            request.form, 400)
    except ReviewRefused as err:
        return _detail_page(submission_id, {"review": [err.message]}, request.form, 409)
    flash(_("The state is now “%(state)s”.", state=status_label(data["status"])))
    return redirect(url_for("console.submission", submission_id=submission_id))


@bp.post("/submissions/<int:submission_id>/reply")
@requires("review")
def reply_submission(submission_id: int):
    _visible_or_404(submission_id)
    try:
        data = ReplyFormSchema().load(request.form)
        answered = reply(submission_id, {"es": data["reply_es"], "qu": data["reply_qu"]},
                         current_user)
    except ValidationError as err:
        return _detail_page(submission_id, {"reply": sum(_messages(err).values(), [])},
                            request.form, 400)
    except ReviewRefused as err:
        return _detail_page(submission_id, {"reply": [err.message]}, request.form, 400)
    if reply_language(answered):
        flash(_("Reply saved. The resident sees it with their receipt code and gets it by "
                "SMS."))
    else:
        flash(_("Reply saved. The resident sees it with their receipt code."))
    return redirect(url_for("console.submission", submission_id=submission_id))

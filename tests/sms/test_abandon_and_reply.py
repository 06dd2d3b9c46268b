"""Abandoned conversations become partials; a coordinator's reply reaches the phone."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from server.db_types import utcnow
from server.extensions import db
from server.sms.models import SmsConversation
from server.submissions.models import Submission

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def test_a_conversation_abandoned_for_hours_is_kept_as_a_partial_never_submitted(
        sms_app, resident, phone):
    for text in ("OPINION", "3", "1"):
        resident.send(text)
    with sms_app.app_context():
        db.session.execute(update(SmsConversation).values(
            last_message_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
    result = sms_app.test_cli_runner().invoke(args=["sms", "send-queue"])
    assert "closed 1 abandoned" in result.output
    with sms_app.app_context():
        conv = db.session.scalars(select(SmsConversation)).one()
        assert conv.state == "abandoned" and conv.partial is True
        assert conv.answers == {"theme": "water", "project": "MOQ-RIE-002"}
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
    # the next answer finds no open conversation: the resident is told how to start
    resident.send("Carumas")
    assert "OPINION" in phone.texts()[-1]


def test_a_coordinators_reply_is_delivered_by_sms(sms_app, resident, phone):
    from server.users.services import create_user

    for text in ("RIMAY", "3", "1", "Carumas", "2", "Yarqaqa p'akisqam", "2"):
        resident.send(text)
    with sms_app.app_context():
        create_user("coord@example.org", "Coordinadora", "coordinator", PASSWORD)
        sub = db.session.scalars(select(Submission)).one()
        sub_id, code = sub.id, sub.receipt_code
    console = sms_app.test_client()
    page = console.get("/console/sign-in").get_data(as_text=True)
    token = _TOKEN.search(page).group(1)
    assert console.post("/console/sign-in", data={
        "email": "coord@example.org", "password": PASSWORD, "csrf_token": token}
    ).status_code == 302
    detail = console.get(f"/console/submissions/{sub_id}").get_data(as_text=True)
    assert "951234567" not in detail  # the number never shows with the feedback
    token = _TOKEN.search(detail).group(1)
    response = console.post(f"/console/submissions/{sub_id}/reply", data={
        "reply_es": "Gracias, el canal se repara en marzo.",
        "reply_qu": "Añaychayki, yarqaqa marzopi allichakunqa.", "csrf_token": token})
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:300]
    sms_app.test_cli_runner().invoke(args=["sms", "send-queue"])
    assert phone.texts()[-1] == f"Willay, {code} kutichiy: Añaychayki, yarqaqa marzopi " \
        "allichakunqa."
    with sms_app.app_context():
        assert db.session.get(Submission, sub_id).status == "answered"

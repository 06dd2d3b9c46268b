"""What a coordinator reads on the SMS pages: the transcript in the order it happened (even
when the gateway phone's clock is off), every state and kind in words, survey titles and
languages in the console's language, never raw codes."""

from __future__ import annotations

import re
from datetime import timedelta

from sms.test_console import Console
from sqlalchemy import select, update

from server.db_types import utcnow
from server.extensions import db
from server.sms.models import SmsOutgoing
from server.submissions.models import Submission

ITEM = re.compile(r'<li class="(incoming|outgoing)">.*?<span class="sms-text">(.*?)</span>',
                  re.DOTALL)


def _feedback_in_quechua(resident, late: bool = False) -> None:
    # the Resident's phone clock runs 30 minutes behind the server's
    resident.send("RIMAY")
    resident.send("3")
    if late:  # the gateway's retry of an older message, after the newer one was applied
        resident.send("2", received_at=resident.clock - timedelta(seconds=10))
    for text in ("1", "Carumas", "2", "Yarqa p'akisqa", "2"):
        resident.send(text)


def _transcript(coordinator, sms_app, lang: str = "es") -> str:
    with sms_app.app_context():
        sub_id = db.session.scalars(select(Submission.id)).one()
    return coordinator.get(f"/console/sms/conversations/{sub_id}?lang={lang}").get_data(
        as_text=True)


def test_the_transcript_follows_the_conversation_when_the_phone_clock_is_behind(
        sms_app, resident, phone):
    coordinator = Console(sms_app, "coordinator")
    _feedback_in_quechua(resident)
    items = ITEM.findall(_transcript(coordinator, sms_app))
    who = [kind for kind, _text in items]
    assert who[:3] == ["incoming", "outgoing", "outgoing"]  # RIMAY, welcome, first question
    assert items[0][1] == "RIMAY" and items[3] == ("incoming", "3")
    assert "¿Mayqin pruyiktumantataq?" in items[4][1]  # the question that "3" led to
    assert who[-1] == "outgoing" and "IMAYNA" in items[-1][1]  # the receipt comes last


def test_states_and_the_language_are_words_not_codes(sms_app, resident, phone):
    coordinator = Console(sms_app, "coordinator")
    _feedback_in_quechua(resident, late=True)
    page = _transcript(coordinator, sms_app)
    assert "llegó tarde, no se aplicó" in page or "arrived late, not applied" in page
    assert "· late" not in page and "· qu<" not in page
    assert "Runasimi" in page


def test_the_problems_list_names_the_kind_of_message(sms_app, resident, phone):
    coordinator = Console(sms_app, "coordinator")
    phone.stop()
    resident.send("OPINION")  # the welcome and the first question cannot be sent
    with sms_app.app_context():
        db.session.execute(update(SmsOutgoing).values(next_attempt_at=utcnow()))
        db.session.commit()
    page = coordinator.get("/console/sms?lang=es").get_data(as_text=True)
    problems = page.split('class="sms-problems"', 1)[1].split("</ul>", 1)[0]
    assert "· welcome ·" not in problems and "· prompt ·" not in problems
    assert "bienvenida" in problems or "welcome message" in problems


def test_survey_titles_follow_the_console_language_and_name_the_survey(
        sms_app, sms_survey):
    coordinator = Console(sms_app, "coordinator")
    page = coordinator.get("/console/sms?lang=qu").get_data(as_text=True)
    assert "Distrituykip pruyiktunkunamanta willawayku" in page  # moq-feedback in Quechua
    assert "moq-feedback" in page and "caj-feedback" in page  # two titles alike: the codes
    page = coordinator.get(f"/console/sms/surveys/{sms_survey}?lang=qu").get_data(
        as_text=True)
    assert "<h1>Distrituykip pruyiktunkunamanta willawayku</h1>" in page
    assert "(welcome)" not in page and "(receipt)" not in page
    assert ">es <textarea" not in page and "Runasimi <textarea" in page
    # the question's own label is shown, and offered as the prompt's placeholder
    assert 'placeholder="¿Imamantataq willakuyta munanki?"' in page

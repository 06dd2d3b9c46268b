"""SMS fixtures: the demo feedback survey open to SMS, a resident's phone, the gateway phone."""

from __future__ import annotations

import pytest
from sms.resident_phone import (
    GENERIC_SECRET,
    SIGNING_KEY,
    GatewayPhone,
    Resident,
)

from server.extensions import db


@pytest.fixture
def phone(tmp_path):
    gateway = GatewayPhone(tmp_path)
    gateway.start()
    yield gateway
    gateway.stop()


@pytest.fixture
def sms_app(app_factory, phone):
    from server.extensions import limiter

    app = app_factory(SMS_SEND_CHANNEL="android", SMS_GATEWAY_URL=phone.url,
                      SMS_GATEWAY_LOGIN="sms", SMS_GATEWAY_PASSWORD="gateway-password",
                      SMS_GATEWAY_SIGNING_KEY=SIGNING_KEY, SMS_GENERIC_SECRET=GENERIC_SECRET,
                      SMS_SEND_TIMEOUT=2)
    with app.app_context():
        limiter.reset()
    return app


@pytest.fixture
def sms_survey(sms_app):
    """The demo's resident feedback form, open to SMS with OPINION (any language) and RIMAY."""
    from server.demo.loader import FEEDBACK, load_demo
    from server.sms.surveys import configure
    from server.surveys.services import get_survey

    with sms_app.app_context():
        load_demo()
        survey = get_survey(FEEDBACK)
        survey_id = survey.id
        configure(survey_id, True, {"OPINION": None, "RIMAY": "qu"})
        # the demo also opens Cajamarca's form with OPINION (regions may share a keyword and
        # the resident then names the region first: tests/sms/test_shared_keyword.py); here
        # OPINION starts Moquegua's form directly
        configure(get_survey("caj-feedback").id, True, {"CAJAMARCA": None, "QASAMARKA": "qu"})
        db.session.remove()
        return survey_id


@pytest.fixture
def resident(sms_app, sms_survey):
    return Resident(sms_app.test_client())

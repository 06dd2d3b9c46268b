"""SMS length in GSM-7 and UCS-2; which questions fit an SMS; what each prompt costs."""

from __future__ import annotations

import pytest

from server.sms.fit import fits_sms
from server.sms.phones import normalize_number
from server.sms.segments import cost, fold_to_gsm


@pytest.mark.parametrize(("text", "encoding", "units", "segments"), [
    ("a" * 160, "GSM-7", 160, 1),
    ("a" * 161, "GSM-7", 161, 2),  # 153 per part of a long message
    ("a" * 306, "GSM-7", 306, 2),
    ("a" * 307, "GSM-7", 307, 3),
    ("Ñuñumayo, ¿cómo está el agua?", "UCS-2", 29, 1),  # ó is not GSM-7
    ("Ñuñumayo, ¿como esta el agua?", "GSM-7", 29, 1),  # Ñ, ñ, ¿ are
    ("ch'usaq " * 20, "GSM-7", 160, 1),  # the ASCII apostrophe is GSM-7
    ("ch’usaq " * 9, "UCS-2", 72, 2),  # the typographic one is not: 70, then 67 per part
    ("€" * 80, "GSM-7", 160, 1),  # extension characters count twice
    ("á" * 70, "UCS-2", 70, 1),
    ("á" * 71, "UCS-2", 71, 2),
])
def test_segments_are_counted_as_phones_count_them(text, encoding, units, segments):
    measured = cost(text)
    assert (measured.encoding, measured.characters, measured.segments) == (
        encoding, units, segments)


def test_folding_keeps_the_words_and_gsm_letters():
    assert fold_to_gsm("¿Cómo está? Ñuqa ch’usaq, Pérez") == "¿Como esta? Ñuqa ch'usaq, Pérez"
    assert cost(fold_to_gsm("á" * 100)).segments == 1


@pytest.mark.parametrize(("raw", "normal"), [
    ("951234567", "+51951234567"), ("+51 951 234 567", "+51951234567"),
    ("0051951234567", "+51951234567"), ("51951234567", "+51951234567"),
    ("+1 650 555 1212", "+16505551212"), ("123", None), ("", None), ("abc", None),
])
def test_numbers_have_one_written_form(raw, normal):
    assert normalize_number(raw) == normal


def test_the_household_survey_does_not_fit_and_says_which_questions():
    import json
    from pathlib import Path

    import server.demo

    data = Path(server.demo.__file__).parent / "data" / "household_survey.json"
    definition = json.loads(data.read_text("utf-8"))
    misfits = {m.question_id: m for m in fits_sms(definition)}
    assert set(misfits) == {"water_problems", "problem_photo", "project", "activities",
                            "voice_note"}
    assert misfits["water_problems"].blocking and misfits["project"].blocking
    assert not misfits["problem_photo"].blocking  # optional: skipped by SMS


def test_opening_a_survey_that_does_not_fit_is_refused(app):
    from server.demo.loader import HOUSEHOLD, load_demo
    from server.sms.surveys import NotForSms, configure
    from server.surveys.services import get_survey

    with app.app_context():
        load_demo()
        with pytest.raises(NotForSms) as refused:
            configure(get_survey(HOUSEHOLD).id, True, {"CASA": "es"})
        assert "water_problems" in {m.question_id for m in refused.value.misfits}
    result = app.test_cli_runner().invoke(args=["sms", "enable", HOUSEHOLD, "--keyword",
                                                "CASA"])
    assert result.exit_code != 0 and "water_problems" in result.output


def test_each_prompt_reports_its_cost(sms_app, sms_survey):
    result = sms_app.test_cli_runner().invoke(args=["sms", "costs", "moq-feedback"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    rating = next(line for line in lines if line.startswith("rating") and " qu " in line)
    assert "GSM-7" in rating and rating.endswith("1 SMS")
    assert any(line.startswith("(receipt)") for line in lines)


def test_a_keyword_that_is_a_command_or_another_surveys_is_refused(sms_app, sms_survey):
    from server.demo.loader import HOUSEHOLD
    from server.sms.surveys import KeywordTaken, configure
    from server.surveys.services import get_survey

    with sms_app.app_context():
        with pytest.raises(KeywordTaken) as refused:
            configure(sms_survey, True, {"OPINION": None, "Estado": "es"})
        assert refused.value.words == ["ESTADO"]
        other = get_survey(HOUSEHOLD).id
        with pytest.raises(KeywordTaken):
            configure(other, False, {"rimay": "qu"})  # RIMAY starts the feedback form

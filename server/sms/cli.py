"""`willay sms …`: send the queue, close abandoned conversations, open a survey to SMS."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .jobs import full_round
from .prompts_cost import prompt_costs
from .surveys import KeywordTaken, NotForSms, configure


@click.group("sms")
def sms_cli() -> None:
    """Feedback by SMS."""


@sms_cli.command("send-queue")
@click.option("--limit", default=200, show_default=True, help="Messages to try this run.")
@with_appcontext
def send_queue(limit: int) -> None:
    """Handle pending incoming SMS, close abandoned conversations, send what is due. The job
    worker (`willay worker`) does this by itself every minute; without a worker, run this
    every minute from cron or a systemd timer."""
    done = full_round(limit)
    report = done.sent
    click.echo(f"handled {done.numbers} numbers, closed {done.closed} abandoned; sent "
               f"{report.sent}, retry later {report.retried}, failed {report.failed}, "
               f"queued {report.waiting}")


@sms_cli.command("enable")
@click.argument("survey_code")
@click.option("--keyword", "keywords", multiple=True, required=True,
              help="KEYWORD or KEYWORD=es|qu (the language it starts in).")
@with_appcontext
def enable(survey_code: str, keywords: tuple[str, ...]) -> None:
    """Open a survey to SMS (checks that its questions fit)."""
    from ..surveys.services import get_survey

    survey = get_survey(survey_code)
    if survey is None:
        raise click.ClickException(f"no survey {survey_code}")
    words = {}
    for item in keywords:
        word, _sep, language = item.partition("=")
        words[word] = language or None
    try:
        configure(survey.id, True, words)
    except NotForSms as exc:
        lines = [f"  {m.question_id}: {m.reason}" for m in exc.misfits]
        raise click.ClickException("these questions cannot be asked by SMS:\n" +
                                   "\n".join(lines)) from exc
    except KeywordTaken as exc:
        raise click.ClickException(f"keywords already in use: {exc}") from exc
    click.echo(f"{survey_code} open to SMS with {', '.join(words)}")


@sms_cli.command("costs")
@click.argument("survey_code")
@with_appcontext
def costs(survey_code: str) -> None:
    """What each prompt of a survey costs, in SMS segments."""
    from ..surveys.services import get_survey

    survey = get_survey(survey_code)
    if survey is None:
        raise click.ClickException(f"no survey {survey_code}")
    for row in prompt_costs(survey.id):
        click.echo(f"{row.question_id:20} {row.language} {row.encoding:5} "
                   f"{row.characters:4} chars {row.segments} SMS")


@sms_cli.command("block")
@click.argument("number")
@click.option("--unblock", is_flag=True, help="Take the block away.")
@with_appcontext
def block(number: str, unblock: bool) -> None:
    """Block a number (its messages are recorded and ignored), or unblock it."""
    from .contacts import find_contact, set_blocked

    contact = find_contact(number)
    if contact is None:
        raise click.ClickException("this number never wrote to the programme")
    set_blocked(contact, not unblock)
    click.echo("unblocked" if unblock else "blocked")

"""`willay export`: the console's export from the command line (audit actor "cli")."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from marshmallow import ValidationError

from ..submissions.filters import SubmissionFilter
from .options import FORMATS, LABELS, LABELS_RE, ExportOptions

FILTER_OPTIONS = (
    ("version", int, "Only this survey version."),
    ("from", str, "Received on or after this day (YYYY-MM-DD, Peru time)."),
    ("to", str, "Received on or before this day (YYYY-MM-DD, Peru time)."),
    ("place", str, "A department, province or district ubigeo."),
    ("theme", str, "A plan theme code."),
    ("project", str, "A plan project code."),
    ("status", str, "Review status (new, verified, flagged, spam, answered, closed)."),
    ("language", str, "Interview language (es or qu)."),
    ("channel", str, "device (promoters) or public (resident link)."),
    ("device", int, "A promoter device id."),
    ("q", str, "Text search in free-text answers."),
)


def _labels(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if not re.fullmatch(LABELS_RE, value):
        raise click.BadParameter(f"use one of {', '.join(LABELS)}, or a language code")
    return value


def _filter_options(command):
    for name, kind, text in reversed(FILTER_OPTIONS):
        command = click.option(f"--{name}", f"filter_{name}", type=kind, help=text)(command)
    return command


@click.command("export")
@click.option("--survey", help="Survey code; its questions become columns.")
@click.option("--format", "export_format", type=click.Choice(tuple(FORMATS)), default="csv",
              show_default=True)
@click.option("--output", "-o", required=True,
              help="File to write, or - for standard output.")
@click.option("--labels", default="codes", show_default=True, callback=_labels,
              help="Headers and answers as codes, or as labels in a content language of the "
              "survey (es, qu, en…; the survey's default language where a label is missing).")
@click.option("--personal", is_flag=True,
              help="Include personal answers and exact locations.")
@click.option("--media", is_flag=True, help="A ZIP with the data files and the photos, "
              "recordings, videos and files they refer to.")
@_filter_options
@with_appcontext
def export_command(survey: str | None, export_format: str, output: str, labels: str,
                   personal: bool, media: bool, **filters: object) -> None:
    """Export submissions (CSV, XLSX, GeoJSON or JSON Lines), with the console's filters.

    A survey with repeats gives, in CSV, a ZIP with one CSV per table (linked by KEY and
    PARENT_KEY); in XLSX, one sheet per repeat; in JSON Lines, the repeats nested."""
    from .services import ExportError, start_export

    args = {name.removeprefix("filter_"): value for name, value in filters.items()
            if value is not None}
    if survey:
        args["survey"] = survey
    try:
        submission_filter = SubmissionFilter.from_args(args)
    except ValidationError as err:
        for field, messages in err.messages.items():
            click.echo(f"--{field}: {' '.join(str(m) for m in messages)}", err=True)
        raise click.ClickException("nothing was exported") from err
    options = ExportOptions(submission_filter, export_format, labels, personal, media)
    try:
        download = start_export(options, actor="cli", personal_allowed=True)
    except ExportError as err:
        raise click.ClickException(str(err)) from err
    if output == "-":
        for chunk in download.chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    partial = target.with_name(target.name + ".part")
    with partial.open("wb") as out:
        for chunk in download.chunks:
            out.write(chunk)
    partial.replace(target)  # a half-written export never sits under the final name
    from ..audit.models import AuditEvent
    from ..extensions import db

    rows = (db.session.get(AuditEvent, download.event_id).details or {}).get("rows")
    click.echo(f"{rows} rows written to {target}", err=True)
    if download.mimetype == "application/zip" and target.suffix.lower() != ".zip":
        click.echo(f"{target} is a ZIP archive (one file per table, or with media): "
                   "name it .zip to open it", err=True)

"""`willay` is Flask's CLI for this app, plus our own commands (`willay --help`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup
from flask_migrate import upgrade
from sqlalchemy import select


def main() -> None:
    from . import create_app

    cli = FlaskGroup(create_app=create_app, help="Willay server commands.")
    cli.main(prog_name="willay")


places_cli = AppGroup("places", help="Peru's place list (ubigeo).")
plans_cli = AppGroup("plans", help="Development plans and projects.")
surveys_cli = AppGroup("surveys", help="Surveys and their versions.")
devices_cli = AppGroup("devices", help="Promoter devices.")
users_cli = AppGroup("users", help="Coordinator accounts.")


@places_cli.command("load")
@click.option("--replace", is_flag=True, help="Update names and coordinates in place.")
def places_load(replace: bool) -> None:
    """Load the shipped ubigeo list."""
    from .places.loader import load_places

    click.echo(f"{load_places(replace=replace)} places")


@plans_cli.command("import-projects")
@click.argument("plan_code")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def plans_import(plan_code: str, csv_file: Path) -> None:
    """Create or update a plan's projects from CSV (all or nothing)."""
    from .plans.importer import ProjectImportError, import_projects
    from .plans.services import get_plan

    plan = get_plan(plan_code)
    if plan is None:
        raise click.ClickException(f"no plan with code {plan_code}")
    try:
        result = import_projects(plan, csv_file.read_bytes())
    except ProjectImportError as err:
        for e in err.errors:
            click.echo(f"line {e.line}{f' [{e.column}]' if e.column else ''}: {e.message}",
                       err=True)
        raise click.ClickException("nothing was imported") from err
    click.echo(f"{len(result.created)} created, {len(result.updated)} updated")


@surveys_cli.command("publish")
@click.argument("code")
@click.argument("definition", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--public/--no-public", default=False, help="Open a public link for residents.")
def surveys_publish(code: str, definition: Path, public: bool) -> None:
    """Validate and publish a survey definition (JSON) as a new version."""
    from .surveys.services import DefinitionInvalid, open_public_link, publish_definition

    try:
        version = publish_definition(code, json.loads(definition.read_text("utf-8")),
                                     for_promoters=not public)
    except DefinitionInvalid as err:
        for problem in err.problems:
            click.echo(f"{problem.path}: {problem.message}", err=True)
        raise click.ClickException("not published") from err
    click.echo(f"{code} version {version.number} published")
    if public:
        click.echo(f"public link token: {open_public_link(version.survey)}")


@surveys_cli.command("link")
@click.argument("code")
@click.argument("action", type=click.Choice(["open", "close", "revoke"]))
def surveys_link(code: str, action: str) -> None:
    """Open a survey's public link, close it to new forms, or revoke it entirely."""
    from .surveys.services import (
        close_public_link,
        get_survey,
        open_public_link,
        revoke_public_link,
    )

    survey = get_survey(code)
    if survey is None:
        raise click.ClickException(f"no survey {code}")
    if action == "open":
        click.echo(f"public link token: {open_public_link(survey)}")
    elif action == "close":
        close_public_link(survey)
        click.echo("closed: no new forms open; feedback already filled still arrives")
    else:
        revoke_public_link(survey)
        click.echo("revoked: the old link no longer works for anything")


@devices_cli.command("enrol")
@click.argument("label")
@click.option("--promoter", default="", help="The promoter who carries the device.")
def devices_enrol(label: str, promoter: str) -> None:
    """Enrol a device and print its one-time pairing code and QR text."""
    from .devices.services import enrol_device

    enrolment = enrol_device(label, promoter)
    click.echo(f"device {enrolment.device.id}: code {enrolment.code}")
    click.echo(f"QR: {enrolment.qr_text}")


@devices_cli.command("revoke")
@click.argument("device_id", type=int)
def devices_revoke(device_id: int) -> None:
    """Revoke a device: its token stops working on its next request."""
    from .devices.models import Device
    from .devices.services import revoke
    from .extensions import db

    device = db.session.get(Device, device_id)
    if device is None:
        raise click.ClickException(f"no device {device_id}")
    revoke(device)
    click.echo(f"device {device_id} revoked")


@devices_cli.command("list")
def devices_list() -> None:
    from .devices.models import Device
    from .extensions import db

    for d in db.session.scalars(select(Device).order_by(Device.id)):
        click.echo(f"{d.id}\t{d.state}\t{d.label}\t{d.promoter_name}\t{d.last_seen_at or '-'}")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["admin", "coordinator", "viewer"]), default="viewer")
@click.password_option()
def users_create(email: str, name: str, role: str, password: str) -> None:
    """Create a coordinator account."""
    from .users.services import UserError, create_user

    try:
        create_user(email, name, role, password)
    except UserError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{email} created as {role}")


@click.command("setup")
@click.option("--demo/--no-demo", default=True, help="Load the demo content if empty.")
@click.option("--samples/--no-samples", default=True,
              help="With a fresh demo, also load 120 sample submissions.")
def setup(demo: bool, samples: bool) -> None:
    """Migrate, load places and (if the database is empty) the demo; print how to start."""
    from .demo.loader import load_demo
    from .places.loader import load_places

    upgrade()
    load_places()
    if demo and load_demo() and samples:
        from .demo.samples import load_samples

        click.echo(f"Loaded {load_samples()} sample submissions.", file=sys.stderr)
    _print_welcome(current_app)


def _print_welcome(app: Flask) -> None:
    from .demo.loader import demo_info

    base = app.config["WILLAY"]["PUBLIC_URL"].rstrip("/")
    info = demo_info()
    lines = ["", "Willay is ready.", f"  Home (portal):   {base}/",
             f"  PWA:             {base}/app/",
             f"  Console:         {base}/console/",
             f"  API description: {base}/api/v1/openapi.json"]
    if info is not None:
        lines += [
            f"  Resident feedback link: {base}/app/#/f/{info.feedback_token}",
            f"  Promoter pairing code:  {info.enrolment.code}  (QR text: {info.enrolment.qr_text})",
            f"  Demo coordinator:       {info.email} / {info.password}",
        ]
    click.echo("\n".join(lines) + "\n", file=sys.stderr)


def register_commands(app: Flask) -> None:
    for group in (places_cli, plans_cli, surveys_cli, devices_cli, users_cli):
        app.cli.add_command(group)
    app.cli.add_command(setup)
    from .exports.cli import export_command

    app.cli.add_command(export_command)
    from .jobs.worker import serve_command, worker_command

    app.cli.add_command(worker_command)
    app.cli.add_command(serve_command)
    from .attachments.cli import media_cli

    app.cli.add_command(media_cli)
    from .rollups.cli import rollups_cli

    app.cli.add_command(rollups_cli)

"""The live preview's data (any version, drafts included, for signed-in coordinators:
the phone API shows only published versions) and the audio prompts page, where a prompt
is recorded in the browser for a question or a choice in one of the survey's languages."""

from __future__ import annotations

from urllib.parse import quote

from flask import flash, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..i18n import content_language
from ..survey_files.checks import FileRefused
from ..survey_files.references import items, media_files
from ..survey_files.services import NOT_ASKED, DraftExists, record_prompt
from ..surveys.models import SurveyVersion
from .access import requires
from .blueprint import bp
from .survey_files import version_or_404

CONTAINERS = ("group", "repeat")
LANGUAGE_NAMES = {"es": "Español", "qu": "Runasimi"}


def files_base(code: str, number: int) -> str:
    return url_for("console.survey_file", code=code, number=number, name="-")[:-1]


@bp.get("/surveys/<code>/versions/<int:number>/preview.json")
@requires("surveys")
def survey_preview_data(code: str, number: int):
    survey, version = version_or_404(code, number)
    response = jsonify({
        "code": survey.code, "version": version.number, "status": version.status,
        "title": version.definition.get("title") or survey.title,
        "definition": version.definition, "files_url": files_base(code, number)})
    response.headers["Cache-Control"] = "no-store"
    return response


def live_preview(version: SurveyVersion, wanted: str | None) -> dict:
    """The survey's languages with their names and the app's address that fills the
    version in one of them (the console's language when the survey has it)."""
    definition = version.definition
    languages = [str(x) for x in definition.get("languages") or ["es", "qu"]]
    names = definition.get("language_names")
    names = names if isinstance(names, dict) else {}
    default = str(definition.get("default_language") or languages[0])
    lang = wanted if wanted in languages else (
        content_language() if content_language() in languages else default)
    code = quote(version.survey.code, safe="")
    return {"languages": [(x, names.get(x) or LANGUAGE_NAMES.get(x, x)) for x in languages],
            "lang": lang,
            "src": url_for("web.index") + f"#/preview/{code}/{version.number}?lang={lang}"}


def text_in(value: object, lang: str, default: str) -> str:
    if isinstance(value, dict):
        for key in (lang, default):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key]
        return next((v for v in value.values() if isinstance(v, str) and v.strip()), "")
    return value if isinstance(value, str) else ""


def _audio(media: object, languages: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for kind, lang, name in media_files(media):
        if kind == "audio":
            for each in ([lang] if lang else languages):
                found[each] = name
    return found


def prompt_rows(version: SurveyVersion) -> tuple[list[str], list[dict]]:
    """The survey's languages and, for every question asked, its label, its current prompts
    by language and its choices with theirs."""
    definition = version.definition
    languages = [str(x) for x in definition.get("languages") or ["es", "qu"]]
    default = str(definition.get("default_language") or languages[0])
    shown = content_language() if content_language() in languages else default
    rows = []
    for item in items(definition):
        if item.get("type") in NOT_ASKED or item.get("type") in CONTAINERS:
            continue
        choices = [{"value": c.get("value"), "label": text_in(c.get("label"), shown, default),
                    "audio": _audio(c.get("media"), languages)}
                   for c in item.get("choices") or [] if isinstance(c, dict)]
        rows.append({"id": item.get("id"), "type": item.get("type"),
                     "label": text_in(item.get("label"), shown, default),
                     "audio": _audio(item.get("media"), languages), "choices": choices})
    return languages, rows


@bp.get("/surveys/<code>/versions/<int:number>/prompts")
@requires("surveys")
def survey_prompts(code: str, number: int):
    survey, version = version_or_404(code, number)
    languages, rows = prompt_rows(version)
    latest = survey.versions[-1]
    names = version.definition.get("language_names") or {}
    return render_template(
        "console/survey_prompts.html", survey=survey, version=version, rows=rows,
        stored={f.name for f in version.files},
        languages=languages,
        language_names={**LANGUAGE_NAMES, **(names if isinstance(names, dict) else {})},
        files_url=files_base(code, number),
        other_draft=latest if version.status != "draft" and latest.status == "draft" else None)


@bp.post("/surveys/<code>/versions/<int:number>/prompts")
@requires("surveys")
def survey_prompt_record(code: str, number: int):
    """A recording from the prompts page (fetch, JSON answer)."""
    survey, version = version_or_404(code, number)
    upload = request.files.get("file")
    question = (request.form.get("question") or "").strip()
    if upload is None or not question:
        return jsonify({"error": _("The recording did not arrive. Record it again.")}), 400
    try:
        draft, name = record_prompt(
            survey, version, question=question, choice=request.form.get("choice") or None,
            lang=(request.form.get("lang") or "").strip(),
            content_type=upload.mimetype or "", stream=upload.stream, user=current_user)
    except DraftExists as err:
        return jsonify({"error": str(err), "draft_url": url_for(
            "console.survey_prompts", code=code, number=err.number)}), 409
    except FileRefused as err:
        return jsonify({"error": str(err)}), 422
    message = _("The prompt is saved in draft version %(number)s.", number=draft.number)
    if draft.number != version.number:
        flash(message)  # the page goes on to the new draft's prompts
    return jsonify({
        "version": draft.number, "copied": draft.number != version.number, "name": name,
        "url": url_for("console.survey_file", code=code, number=draft.number, name=name),
        "prompts_url": url_for("console.survey_prompts", code=code, number=draft.number),
        "message": message})

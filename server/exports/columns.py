"""The columns of an export: metadata first, then one per question of the survey's main
table; a repeat's table has one per question of the repeat, then PARENT_KEY and KEY.

Each column knows its code (the stable key, also used by the JSON formats), its header (the
code, or a label in the chosen language) and where its value comes from: a field of the
submission row or an answer, optionally turned into a label. Metadata codes start with "_"
(as in KoboToolbox) so they never collide with question ids, which start with a letter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..review.labels import CHANNEL_LABELS, LANGUAGE_LABELS, STATUS_LABELS
from ..submissions.models import Submission
from ..surveys.outputs import header as output_header
from .lookups import Lookups
from .media import MediaNames
from .options import ExportOptions
from .questions import MEDIA_TYPES, Layout, Question, Table
from .sql import peru_iso, uuid_text

# answers of these types are numbers, dates, times or codes (validated at ingest)
PLAIN_TYPES = ("integer", "decimal", "range", "rating", "date", "time", "datetime", "place",
               "select_one", "acknowledge", *MEDIA_TYPES)
# the link between a table and the table of its repeats (ODK Central's names)
KEY, PARENT_KEY = "KEY", "PARENT_KEY"
# the interface languages whose catalogs translate the metadata headers; the messages'
# own language, English, for "en"; Spanish for any other content language
HEADER_LOCALES = {"es": "es_PE", "qu": "qu", "en": "en"}
# a media question's link column: `<question id>_url`
LINK_SUFFIX = "_url"


# the submission fields read for every row, in this order
ROW_COLUMNS = (Submission.id, uuid_text(Submission.uuid), Submission.receipt_code,
               Submission.survey_id, Submission.version_id, peru_iso(Submission.received_at),
               peru_iso(Submission.started_at), peru_iso(Submission.completed_at),
               Submission.district_ubigeo, Submission.channel, Submission.device_id,
               Submission.language, Submission.status, Submission.project_code,
               Submission.theme_code, Submission.consent, Submission.answers,
               Submission.latitude, Submission.longitude, Submission.location_accuracy,
               Submission.instance_name)
(I_ID, I_UUID, I_RECEIPT, I_SURVEY, I_VERSION, I_RECEIVED, I_STARTED, I_COMPLETED, I_DISTRICT,
 I_CHANNEL, I_DEVICE, I_LANGUAGE, I_STATUS, I_PROJECT, I_THEME, I_CONSENT, I_ANSWERS, I_LAT,
 I_LON, I_ACCURACY, I_INSTANCE) = range(len(ROW_COLUMNS))

Transform = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # where the value comes from: a position in a row of ROW_COLUMNS, or an answer's id
    field: int | None = None
    answer: str | None = None
    # what turns the stored value into the exported one (a label, a name, text)
    transform: Transform | None = None
    # how a spreadsheet cell is made of the value: "plain" (codes, numbers, dates, names from
    # the place list: neutralised in CSV all the same), "server" (made by the server in a
    # fixed form: UUIDs, receipt codes, timestamps, ubigeos, status codes; never starts
    # like a formula), "text" (typed by a person: neutralised), "multi"
    # (a list, joined), "point" (a geopoint dict), "coordinate" (a latitude or longitude, to
    # 6 decimals), "flag" (a boolean); "nested" (a repeat's
    # instances, JSON Lines only)
    kind: str = "plain"


YES_NO = {True: _l("Yes"), False: _l("No")}
META_HEADERS = {
    "_uuid": _l("Identifier (UUID)"), "_receipt": _l("Receipt code"),
    "_instance_name": _l("Interview name"), "_survey": _l("Survey"),
    "_version": _l("Version"), "_received_at": _l("Received"), "_started_at": _l("Started"),
    "_completed_at": _l("Completed"), "_district_ubigeo": _l("District ubigeo"),
    "_district": _l("District"), "_province": _l("Province"), "_department": _l("Department"),
    "_channel": _l("Channel"), "_device": _l("Device"), "_promoter": _l("Promoter"),
    "_language": _l("Language"), "_status": _l("Status"), "_project": _l("Project"),
    "_theme": _l("Theme"), "_consent": _l("Consent"), "_latitude": _l("Latitude (GPS)"),
    "_longitude": _l("Longitude (GPS)"), "_location_accuracy": _l("Location accuracy (m)"),
}


def _lookup(table: dict) -> Transform:
    return lambda code: table.get(code, code) if isinstance(code, str | bool) else code


class _Or(dict):
    """A table whose missing keys give `default`: its `__getitem__` runs in C (a transform
    runs for every row)."""

    def __init__(self, items: Any, default: Any):
        super().__init__(items)
        self.default = default

    def __missing__(self, key: Any) -> Any:
        return self.default


class ColumnBuilder:
    """Builds the columns for one export. `media` names each media answer's file as in the
    ZIP (`media/<sha256>.jpg`) and gives its console link, for a `<id>_url` column after
    the question's own (without it, a media answer is its bare hash)."""

    def __init__(self, options: ExportOptions, lookups: Lookups, layout: Layout,
                 media: MediaNames | None = None):
        self.options = options
        self.lang = options.language
        self.lookups = lookups
        self.layout = layout
        self.media = media
        self.locale = HEADER_LOCALES.get(self.lang or "", "es_PE")

    def _text(self, texts: dict[str, str], fallback: str) -> str:
        """A label in the chosen language, else in the survey's default language."""
        if not self.lang:
            return fallback
        return (texts.get(self.lang) or texts.get(self.layout.default_language)
                or next(iter(texts.values()), fallback))

    def _coded(self, labels: dict) -> Transform | None:
        """code -> translated label when labels are asked for; None keeps the code."""
        if not self.lang:
            return None
        return _lookup({code: str(label) for code, label in labels.items()})

    def _exported(self, table: Table) -> list[Question]:
        personal = self.options.personal
        # a geopoint answer is an exact location: personal data like the questions marked so
        return [q for q in table.questions
                if personal or not (q.personal or q.type == "geopoint")]

    def _unique(self, columns: list[Column]) -> list[Column]:
        """Labelled headers are unique: a question labelled like a metadata column or like
        another question ("Distrito") gets its code added ("Distrito (district)")."""
        if not self.lang:
            return columns
        seen: set[str] = set()
        out = []
        for column in columns:
            if column.header in seen and column.answer:
                column = replace(column, header=f"{column.header} ({column.key})")
            seen.add(column.header)
            out.append(column)
        return out

    def main_columns(self, *, keys: bool = False, nested: bool = False) -> list[Column]:
        """Metadata, then the main table's questions; `keys`: then KEY (the submission's
        UUID), which the repeat tables' PARENT_KEY refers to; `nested`: then one column per
        repeat holding its instances (JSON Lines)."""
        with force_locale(self.locale):
            result = [Column(key, str(META_HEADERS[key]) if self.lang else key, field,
                             None, transform, kind)
                      for key, field, transform, kind in self._meta()]
            result += self._questions(self.layout.main)
            if nested:
                result += [Column(t.id, t.id, answer=t.id, kind="nested",
                                  transform=self._instances(t))
                           for t in self.layout.children(None) if t.id]
        if keys:
            result.append(Column(KEY, KEY, I_UUID, kind="server"))
        return self._unique(result)

    def repeat_columns(self, table: Table) -> list[Column]:
        """A repeat's questions, then PARENT_KEY and KEY (filled by the repeat walk)."""
        with force_locale(self.locale):
            return self._unique([*self._questions(table), Column(PARENT_KEY, PARENT_KEY),
                                 Column(KEY, KEY)])

    def _questions(self, table: Table) -> list[Column]:
        others = {q.other_of for q in table.questions if q.other_of}
        columns = []
        for q in self._exported(table):
            columns.append(self._question(q, q.id in others))
            if q.type in MEDIA_TYPES and self.media is not None:
                columns.append(self._link(q, columns[-1].header))
        return columns

    def _link(self, q: Question, header: str) -> Column:
        """The media file's address in the console (sign-in and the right to see the
        submission are checked there), beside the file's name."""
        key = f"{q.id}{LINK_SUFFIX}"
        if self.lang:
            header = _("%(question)s: link", question=header)
        else:
            header = key
        return Column(key, header, answer=q.id, transform=self.media.url, kind="plain")

    def _instances(self, table: Table) -> Transform:
        """A repeat's stored instances as JSON: each instance keeps its stored keys that are
        exported, their values transformed as in the tables; nested repeats likewise."""
        columns = self._questions(table)
        steps: dict[str, Transform | None] = {c.key: c.transform for c in columns
                                              if c.key == c.answer}
        # the links, keyed by the question they come from
        links = {c.answer: (c.key, c.transform) for c in columns if c.key != c.answer}
        for child in self.layout.children(table.id):
            steps[child.id or ""] = self._instances(child)

        def build(value: Any) -> Any:
            if isinstance(value, dict):
                value = [value]
            if not isinstance(value, list):
                return value
            out = []
            for instance in value:
                answers = instance if isinstance(instance, dict) else {}
                item = {}
                for key, v in answers.items():
                    if key in steps:
                        step = steps[key]
                        item[key] = step(v) if step else v
                        if key in links:
                            link_key, link = links[key]
                            item[link_key] = link(v)
                out.append(item)
            return out

        return build

    def _meta(self) -> list[tuple[str, int, Transform | None, str]]:
        lk, lang = self.lookups, self.lang
        districts, devices = lk.districts, lk.devices
        # transforms never see None (see RowMaker), so the tables answer every other code
        district_names = [_Or({code: getattr(d, part) for code, d in districts.items()}, "")
                          .__getitem__ for part in ("name", "province", "department")]
        device_names = [_Or({key: pair[n] or None for key, pair in devices.items()}, None)
                        .__getitem__ for n in (0, 1)]
        projects = None
        if lang:
            projects = _lookup({code: texts.get(lang) or texts.get("es") or code
                                for code, texts in lk.project_names.items()})

        theme = None
        if lang:
            def theme(code: str | None) -> str | None:
                if not code:
                    return code
                texts = lk.theme_names.get(code) or {}
                return texts.get(lang) or texts.get("es") or next(iter(texts.values()), code)

        meta = [
            ("_uuid", I_UUID, None, "server"),
            ("_receipt", I_RECEIPT, None, "server"),
        ]
        if self.layout.instance_names:
            meta.append(("_instance_name", I_INSTANCE, None, "text"))
        meta += [
            ("_survey", I_SURVEY, lk.survey_codes.get, "plain"),
            ("_version", I_VERSION, lk.version_numbers.get, "server"),
            ("_received_at", I_RECEIVED, None, "server"),
            ("_started_at", I_STARTED, None, "server"),
            ("_completed_at", I_COMPLETED, None, "server"),
            ("_district_ubigeo", I_DISTRICT, None, "server"),
            ("_district", I_DISTRICT, district_names[0], "plain"),
            ("_province", I_DISTRICT, district_names[1], "plain"),
            ("_department", I_DISTRICT, district_names[2], "plain"),
            ("_channel", I_CHANNEL, self._coded(CHANNEL_LABELS), "server"),
            ("_device", I_DEVICE, device_names[0], "text"),
            ("_promoter", I_DEVICE, device_names[1], "text"),
            ("_language", I_LANGUAGE, self._coded(LANGUAGE_LABELS), "server"),
            ("_status", I_STATUS, self._coded(STATUS_LABELS), "server"),
            ("_project", I_PROJECT, projects, "text" if lang else "plain"),
            # the theme answered, else the answered project's theme (see RowMaker)
            ("_theme", I_THEME, theme, "text" if lang else "plain"),
            ("_consent", I_CONSENT, self._coded(YES_NO), "plain" if lang else "flag"),
        ]
        if self.options.personal:
            meta += [("_latitude", I_LAT, None, "coordinate"),
                     ("_longitude", I_LON, None, "coordinate"),
                     ("_location_accuracy", I_ACCURACY, None, "plain")]
        return meta

    def _question(self, q: Question, has_other: bool = False) -> Column:
        # a header is shared by every row: "${name}" in a label becomes "…"
        header, lang = output_header(self._text(q.label, q.id)), self.lang
        if q.other_of and lang:
            header = _("%(question)s: other", question=header)
        kind = "plain" if q.type in PLAIN_TYPES else "text"
        transform: Transform | None = None
        labels = {value: self._text(texts, value) for value, texts in q.choices.items()}
        if has_other and lang:
            labels.setdefault("other", _("Other"))
        if q.type == "select_one" and lang:
            transform, kind = _lookup(labels), "text"
        elif q.type == "select_multiple":
            kind = "multi"
            if lang:
                def transform(values: Any) -> Any:
                    return [labels.get(v, v) if isinstance(v, str) else v
                            for v in values] if isinstance(values, list) else values
        elif q.type == "place" and lang:
            districts = self.lookups.districts

            def transform(code: Any) -> Any:
                found = districts.get(code) if isinstance(code, str) else None
                return found.name if found else code
        elif q.type == "geopoint":
            kind = "point"
        elif q.type in MEDIA_TYPES and self.media is not None:
            transform = self.media.name
        return Column(q.id, header, answer=q.id, transform=transform, kind=kind)

"""What becomes of each XLSForm column. Headers are read with pyxform's own alias tables
(`relevance` and `bind::relevant` are `relevant`, `constraint message` is
`constraint_message` …) so that a column means here what it means to pyxform."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyxform import aliases, constants
from pyxform.parsing.sheet_headers import process_header
from pyxform.question import MultipleChoiceQuestion, Option

CARRIED, NOTICE, REFUSED = "carried", "notice", "refused"

SURVEY_COLUMNS = set(MultipleChoiceQuestion.get_slot_names())
CHOICE_COLUMNS = set(Option.get_slot_names())

# survey sheet: first key (after pyxform's aliases) -> fate; ("bind", x) and ("control", x)
# are looked up by their second key
_SURVEY = {
    "type": CARRIED, "name": CARRIED, "label": CARRIED, "hint": CARRIED,
    "default": CARRIED, "trigger": CARRIED, "choice_filter": CARRIED,
    "parameters": CARRIED, "media": CARRIED, "personal": CARRIED, "disabled": CARRIED,
    # display help or SMS encodings: nothing asked or stored changes without them
    "guidance_hint": NOTICE, "sms_field": NOTICE, "sms_option": NOTICE,
    "sms_separator": NOTICE, "sms_allow_media": NOTICE, "sms_date_format": NOTICE,
    "sms_datetime_format": NOTICE, "sms_response": NOTICE, "instance": NOTICE,
    # what pyxform does not read from the sheet, or what changes what is asked
    "list_name": REFUSED, "itemset": REFUSED, "choices": REFUSED, "query": REFUSED,
    "actions": REFUSED, "extra_data": REFUSED, "parent": REFUSED,
}
_BIND = {"relevant": CARRIED, "required": CARRIED, "constraint": CARRIED,
         "jr:constraintMsg": CARRIED, "jr:requiredMsg": CARRIED, "calculate": CARRIED,
         "readonly": CARRIED, "jr:noAppErrorString": NOTICE}
_CONTROL = {"appearance": CARRIED, "jr:count": CARRIED, "autoplay": NOTICE, "rows": NOTICE}
# media kinds Willay shows; big-image (a larger image on tap) is left out with a notice
MEDIA_KINDS = ("image", "audio", "video")

# settings sheet (after pyxform's aliases)
SETTINGS_CARRIED = {"title", "id_string", "version", "default_language", "instance_name",
                    "style", "allow_choice_duplicates", "clean_text_values", "form_title"}
SETTINGS_REFUSED = {"public_key", "entity_version", "attribute", "namespaces"}


@dataclass(frozen=True)
class Column:
    header: str  # as written
    key: tuple[str, ...]  # pyxform's reading: ("bind", "relevant"), ("label", "Español (es)")
    fate: str

    @property
    def field(self) -> str:
        return "::".join(self.key[:2]) if self.key[0] in ("bind", "control") else self.key[0]


def _split(header: str, double_colon: bool, header_aliases: dict, known: set[str]) -> tuple:
    _new, tokens = process_header(header, double_colon, header_aliases, known)
    return tuple(tokens)


def survey_column(header: str, double_colon: bool = True) -> Column:
    key = _split(header, double_colon, aliases.survey_header, SURVEY_COLUMNS)
    first = key[0]
    if first in ("bind", "control"):
        table = _BIND if first == "bind" else _CONTROL
        fate = table.get(key[1], REFUSED) if len(key) > 1 else REFUSED
    elif len(key) == 1 and first in ("media", "instance"):
        fate = REFUSED  # pyxform cannot read these without a kind after "::"
    elif first == "media":
        fate = CARRIED if key[1] in MEDIA_KINDS else NOTICE
    elif first == constants.ENTITIES_SAVETO or (len(key) > 1 and key[1] == "entities:saveto"):
        fate = REFUSED
    elif first in _SURVEY:
        fate = _SURVEY[first]
    elif first.startswith("_"):
        fate = REFUSED  # pyxform's internal fields cannot be written in a sheet
    else:
        fate = NOTICE  # unknown to pyxform too: comments, notes, Kobo's $kuid …
    return Column(header, key, fate)


DATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")


def choice_column(header: str, double_colon: bool = True) -> Column:
    """Choice columns other than name/label/media are choice data (for choice_filter);
    one whose name an expression cannot write (Kobo's `$kuid`) is left out."""
    key = _split(header, double_colon, aliases.list_header, CHOICE_COLUMNS)
    if key[0] == "media":
        fate = NOTICE if len(key) < 2 or key[1] not in MEDIA_KINDS else CARRIED
    elif key[0] in ("name", "label", "list name", "list_name"):
        fate = CARRIED
    else:
        fate = CARRIED if DATA_NAME.match(key[0]) else NOTICE
    return Column(header, key, fate)


def uses_double_colon(headers) -> bool:
    return any("::" in h for h in headers)

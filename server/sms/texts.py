"""What Willay says by SMS that is not a survey's own text, in the resident's language, and
the keywords residents type (without accents, any case)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from ..i18n.rating import in_sentence, rating_words

LOCALE = {"es": "es_PE", "qu": "qu"}
STOP_WORDS = frozenset({"STOP", "BAJA", "SALIR", "AMANA", "CANCELAR"})
START_WORDS = frozenset({"ALTA", "START"})
HELP_WORDS = frozenset({"AYUDA", "HELP", "YANAPAY", "INFO"})
STATUS_WORDS = frozenset({"ESTADO", "STATUS", "IMAYNA"})
LANGUAGE_WORDS = {"QU": "qu", "RUNASIMI": "qu", "QUECHUA": "qu", "KICHWA": "qu",
                  "ES": "es", "ESPANOL": "es", "CASTELLANO": "es", "KASTILLANU": "es"}
COMMAND_WORDS = STOP_WORDS | START_WORDS | HELP_WORDS | STATUS_WORDS | frozenset(LANGUAGE_WORDS)
SKIP_WORDS = frozenset({"0", "-", "PASAR", "SAQIY", "SALTAR"})
# words that say the first message was written in Quechua
QUECHUA_HINTS = frozenset({"RIMAY", "RUNASIMI", "QUECHUA", "ALLILLANCHU", "IMAYNALLA",
                           "NAPAYKUYKI", "NAPAYKULLAYKI", "WILLAKUY", "YUYAY", "ARI", "MANAM",
                           "SULPAYKI", "YUSULPAYKI", "KUTICHIY"})
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s-]")


def folded(text: str) -> str:
    """'¡Opinión! ' -> 'OPINION': what a keyword is compared with."""
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text)
                    if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", _PUNCT.sub(" ", plain.upper())).strip()


def words(text: str) -> list[str]:
    return folded(text).split()


def guess_language(text: str) -> str | None:
    return "qu" if any(w in QUECHUA_HINTS for w in words(text)) else None


def in_language(language: str, make: Callable[[], Any]) -> Any:
    """Run `make` with the interface strings of the resident's language."""
    with force_locale(LOCALE.get(language, "es_PE")):
        return make()


def welcome() -> str:
    return _("Willay: thank you for your opinion. Answer each question with one SMS. STOP: "
             "to leave. QU: in Quechua.")


def which_region(lines: list[str]) -> str:
    """The first question when regions share a keyword; `lines` are "1 Moquegua"…"""
    return _("Where do you live? Answer with the number:") + "\n" + "\n".join(lines)


def skip_hint() -> str:
    return _("(0: skip)")


def choose_number(count: int) -> str:
    return _("Answer with a number from 1 to %(max)s.", max=count)


def rating_range() -> str:
    words = rating_words()
    return _("Answer with a number from 1 (%(worst)s) to 5 (%(best)s).",
             worst=in_sentence(words[0]), best=in_sentence(words[-1]))


def whole_number() -> str:
    return _("Answer with a whole number.")


def write_answer() -> str:
    return _("Write your answer in one SMS.")


def district_unknown() -> str:
    return _("We did not find that district. Write its name again or its 6-digit ubigeo.")


def district_which() -> str:
    return _("Which one? Answer with its number:")


def thanks(code: str) -> str:
    return _("Thank you! Your receipt code is %(code)s. To see its status send: STATUS "
             "%(code)s", code=code)


def not_saved() -> str:
    return _("We could not save your answers; we will review them. Sorry.")


def status_line(code: str, status: str) -> str:
    return _("Receipt %(code)s: %(status)s.", code=code, status=status)


def receipt_unknown() -> str:
    return _("We could not find that receipt code. Check it and try again.")


def help_text(keywords: str) -> str:
    return _("Willay: send %(keywords)s to give your opinion. STATUS and your code to see "
             "its status. STOP to receive no more messages.", keywords=keywords)


def stopped() -> str:
    return _("You will receive no more messages from Willay. To come back, send START.")


def restarted() -> str:
    return _("Welcome back to Willay.")


def reply_text(code: str, text: str) -> str:
    return _("Willay, answer to %(code)s: %(text)s", code=code, text=text)

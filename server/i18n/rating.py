"""The words of the 1–5 rating. The phone app's star widget (pwa/form/widgets.js,
`ratingWords`) shows the same five messages, so the stars, the SMS prompt and the SMS
correction read alike in Spanish and Quechua: the catalog holds the one wording
(tests/sms/test_rating_wording.py keeps the two lists equal)."""

from __future__ import annotations

from flask_babel import gettext as _


def rating_words() -> tuple[str, str, str, str, str]:
    """The words for 1 … 5 in the current language (capitalised, as on the stars)."""
    return (_("Very bad"), _("Bad"), _("So-so"), _("Good"), _("Very good"))


def in_sentence(word: str) -> str:
    """'Muy malo' -> 'muy malo': a star's word inside a sentence."""
    return word[:1].lower() + word[1:]


def rating_scale() -> str:
    """'1 = muy malo, 5 = muy bueno': the scale as an SMS has room for it (no stars)."""
    words = rating_words()
    return f"1 = {in_sentence(words[0])}, 5 = {in_sentence(words[-1])}"

"""French is the default language and every string has its French translation."""

import re
from pathlib import Path

from django.utils import translation

import centrex

LOCALE = Path(centrex.__file__).parent / "locale"


def test_french_catalogue_is_complete():
    po = (LOCALE / "fr/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    untranslated = re.findall(r'msgid "(.+)"\nmsgstr ""\n', po)
    assert untranslated == []


def test_compiled_catalogue_is_up_to_date():
    """The .mo Django reads says what the .po says (run compilemessages after editing)."""
    po = (LOCALE / "fr/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"\nmsgstr "(.+)"$', po, re.M)
    assert pairs
    with translation.override("fr"):
        for context, msgid, msgstr in pairs:
            unescape = lambda t: t.replace('\\"', '"').replace("\\\\", "\\")  # noqa: E731
            found = (translation.pgettext(unescape(context), unescape(msgid)) if context
                     else translation.gettext(unescape(msgid)))
            assert found == unescape(msgstr)


def test_french_by_default(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert dict(settings.LANGUAGES).keys() == {"fr", "en"}

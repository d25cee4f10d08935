"""No string of the portal ships without its French translation.

``makemessages`` is run on a temporary copy of the package, so the repository's catalogues
are never touched, and the French catalogue it produces must have no entry left
untranslated and none marked fuzzy (a guess from an older string). When this fails, run
``django-admin makemessages -l fr -l en --no-location`` in ``centrex/``, add the strings to
``scripts/translate_fr.py`` (or a ``scripts/fr_*.py`` table), run it, then
``django-admin compilemessages`` (docs/testing.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import centrex

PACKAGE = Path(centrex.__file__).resolve().parent
CATALOGUE = Path("locale/fr/LC_MESSAGES/django.po")
HOW_TO_FIX = ("To fix: in centrex/, django-admin makemessages -l fr -l en --no-location; add "
              "the strings to scripts/translate_fr.py (or scripts/fr_*.py); python "
              "scripts/translate_fr.py; django-admin compilemessages.")


@dataclass
class Entry:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    translations: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return self.context, self.msgid

    @property
    def untranslated(self) -> bool:
        return not self.translations or any(t == "" for t in self.translations)


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body[1:-1])


def parse_po(text: str) -> list[Entry]:
    """The entries of a .po file (header excluded), with their flags and obsolete state."""
    entries, entry, target = [], Entry(), None

    def finish():
        nonlocal entry, target
        if entry.msgid:  # the header is the entry with an empty msgid
            entries.append(entry)
        entry, target = Entry(), None

    for line in [*text.splitlines(), ""]:
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
        if not line.strip():
            finish()
            continue
        if line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        entry.obsolete = entry.obsolete or obsolete
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            keyword, rest = None, line
        if keyword == "msgctxt":
            entry.context, target = "", "context"
        elif keyword == "msgid":
            target = "msgid"
        elif keyword == "msgid_plural":
            entry.plural, target = "", "plural"
        elif keyword and keyword.startswith("msgstr"):
            entry.translations.append("")
            target = "translation"
        value = _unquote(rest)
        if target == "translation":
            entry.translations[-1] += value
        elif target == "context":
            entry.context += value
        elif target == "plural":
            entry.plural += value
        else:
            entry.msgid += value
    return entries


def _copy_package(destination: Path) -> Path:
    """The package's sources and catalogues, without caches, compiled files and assets."""
    shutil.copytree(PACKAGE, destination, ignore=shutil.ignore_patterns(
        "__pycache__", "*.pyc", "*.mo", "static", "node_modules"))
    return destination


def _makemessages(folder: Path) -> None:
    """What a developer runs (docs/testing.md), in ``folder``, without Django settings:
    the catalogues written are ``folder/locale/...``, nothing else."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "-l", "en",
         "--no-location", "--no-obsolete", "-v", "0"],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr.lower(), proc.stderr


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> tuple[list[Entry], Path]:
    folder = _copy_package(tmp_path_factory.mktemp("makemessages") / "centrex")
    _makemessages(folder)
    path = folder / CATALOGUE
    return parse_po(path.read_text(encoding="utf-8")), path


def _describe(entries: list[Entry]) -> str:
    return "\n".join(f"  {e.msgid!r}" + (f" (context {e.context!r})" if e.context else "")
                     for e in entries)


def test_makemessages_finds_no_untranslated_string(regenerated):
    entries, _ = regenerated
    repository = {e.key: e for e in parse_po((PACKAGE / CATALOGUE).read_text("utf-8"))
                  if not e.obsolete}
    current = [e for e in entries if not e.obsolete]
    assert current, "makemessages found no string at all"
    new = [e for e in current if e.key not in repository and e.untranslated]
    missing = [e for e in current if e.key in repository and e.untranslated]
    fuzzy = [e for e in current if "fuzzy" in e.flags]
    problems = []
    if new:
        problems.append(f"{len(new)} new string(s) without a French translation:\n"
                        + _describe(new))
    if missing:
        problems.append(f"{len(missing)} string(s) of the catalogue left untranslated:\n"
                        + _describe(missing))
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy (guessed) translation(s):\n" + _describe(fuzzy))
    if problems:
        pytest.fail("\n".join([*problems, HOW_TO_FIX]), pytrace=False)


def test_catalogue_has_no_string_the_code_no_longer_uses(regenerated):
    """Strings removed from the code are removed from the catalogue (no stale entries)."""
    entries, _ = regenerated
    used = {e.key for e in entries}
    stale = [e for e in parse_po((PACKAGE / CATALOGUE).read_text("utf-8"))
             if not e.obsolete and e.key not in used]
    if stale:
        pytest.fail(f"{len(stale)} string(s) of the catalogue no longer in the code:\n"
                    + _describe(stale) + "\n" + HOW_TO_FIX, pytrace=False)


def test_regenerated_catalogue_compiles_with_consistent_placeholders(regenerated):
    """msgfmt --check: every translation keeps the %(name)s / {name} placeholders."""
    _, path = regenerated
    proc = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr


def test_repository_catalogues_are_untouched(regenerated):
    """The run above worked on a copy: the repository's catalogue is not the one written."""
    _, path = regenerated
    assert PACKAGE not in path.parents


def test_parser_reads_plurals_contexts_and_flags():
    entries = parse_po(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "menu"\nmsgid "Open"\nmsgstr "Ouvrir"\n\n'
        'msgid "%(n)s phone"\nmsgid_plural "%(n)s phones"\nmsgstr[0] "%(n)s poste"\n'
        'msgstr[1] ""\n\n'
        'msgid ""\n"A long "\n"text"\nmsgstr ""\n"Un long texte"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n'
    )
    assert [e.msgid for e in entries] == ["Open", "%(n)s phone", "A long text", "Gone"]
    assert entries[0].context == "menu" and "fuzzy" in entries[0].flags
    assert entries[1].plural == "%(n)s phones" and entries[1].untranslated
    assert not entries[2].untranslated and entries[2].translations == ["Un long texte"]
    assert entries[3].obsolete

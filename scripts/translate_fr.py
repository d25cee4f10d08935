"""Update the translation catalogues in one command: python scripts/translate_fr.py

Runs makemessages (no line wrapping, so every msgid is one line), fills the French
catalogue from the tables (this file's and scripts/fr_*.py, one per area of the portal),
fails on any string left untranslated, then compiles the catalogues. The tables are the
reference, so makemessages can be re-run at any time without losing translations.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

FR = {
    "Core": "Noyau",
    "name": "nom",
    "department": "service",
    "departments": "services",
    "first name": "prénom",
    "last name": "nom",
    "An extension number is made of 2 to 10 digits (got “%(value)s”).":
        "Un numéro de poste comporte de 2 à 10 chiffres (reçu « %(value)s »).",
    "A PIN is made of 4 to 8 digits.": "Un code PIN comporte de 4 à 8 chiffres.",
    "A name cannot contain line breaks, tabs or invisible characters.":
        "Un nom ne peut pas contenir de retour à la ligne, de tabulation ni de caractère "
        "invisible.",
    "A name cannot contain these characters: %(chars)s":
        "Un nom ne peut pas contenir ces caractères : %(chars)s",
    "A name cannot start or end with a space.":
        "Un nom ne peut pas commencer ni finir par une espace.",
    "Asterisk": "Asterisk",
    "French": "Français",
    "English": "Anglais",
    "Telephony": "Téléphonie",
    "extension": "poste",
    "This extension is already used.": "Ce numéro de poste est déjà utilisé.",
    "caller name": "nom présenté",
    "Shown to the people this phone calls.": "Affiché chez les personnes que ce poste appelle.",
    "user": "utilisateur",
    "SIP user name": "identifiant SIP",
    "SIP credential hash": "empreinte de l'identifiant SIP",
    "ring time (seconds)": "durée de sonnerie (secondes)",
    "How long the phone rings before the call goes to voicemail.":
        "Durée pendant laquelle le poste sonne avant le renvoi vers la messagerie.",
    "voicemail": "messagerie vocale",
    "voicemail PIN": "code de la messagerie",
    "Digits typed on the phone to listen to messages; not a web password.":
        "Chiffres tapés sur le téléphone pour écouter les messages ; pas un mot de passe web.",
    "phone": "poste",
    "phones": "postes",
}
FR.update({
    "Directory": "Annuaire",
    "Forwards": "Renvois",
    "Administration is not allowed from this network.":
        "L'administration n'est pas autorisée depuis ce réseau.",
})
PLURALS = {
    "%(counter)s phone configured.": ("%(counter)s poste configuré.",
                                      "%(counter)s postes configurés."),
}


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _tables() -> tuple[dict, dict]:
    """This file's table plus those of scripts/fr_*.py (one per area of the portal)."""
    import importlib.util

    fr, plurals = dict(FR), dict(PLURALS)
    for extra in sorted(Path(__file__).parent.glob("fr_*.py")):
        spec = importlib.util.spec_from_file_location(extra.stem, extra)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        fr.update(getattr(module, "FR", {}))
        plurals.update(getattr(module, "PLURALS", {}))
    return fr, plurals


def _django_admin(*args: str) -> None:
    package = Path(__file__).resolve().parents[1] / "centrex"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="centrex.settings.base")
    subprocess.run([sys.executable, "-m", "django", *args], cwd=package, env=env, check=True)


def main() -> None:
    path = Path(__file__).resolve().parents[1] / "centrex/locale/fr/LC_MESSAGES/django.po"
    # Start from nothing: makemessages would otherwise carry old translations over to
    # changed strings as "fuzzy" guesses. The tables below are the reference.
    path.unlink(missing_ok=True)
    _django_admin("makemessages", "-l", "fr", "-l", "en", "--no-location", "--no-wrap",
                  "--no-obsolete")
    fr_table, plural_table = _tables()
    po = path.read_text(encoding="utf-8")
    # The table is the reference: forget makemessages' guesses from older strings.
    po = re.sub(r"^#, fuzzy\n", "", po, flags=re.M)
    po = re.sub(r"^#, fuzzy, ", "#, ", po, flags=re.M)
    po = re.sub(r"^#\|.*\n", "", po, flags=re.M)
    msgstr = r'msgstr "(?:[^"\\]|\\.)*"\n(?:"(?:[^"\\]|\\.)*"\n)*'
    # Plain strings first, then those with a context ("context\x04text", gettext's own
    # notation), which override the plain translation for their entry only.
    for src, dst in sorted(fr_table.items(), key=lambda item: "\x04" in item[0]):
        context, _sep, text = src.rpartition("\x04")
        head = f'msgctxt "{re.escape(escape(context))}"\n' if context else ""
        po = re.sub(rf'({head}msgid "{re.escape(escape(text))}"\n){msgstr}',
                    lambda m, d=dst: f'{m.group(1)}msgstr "{escape(d)}"\n', po)
    for src, (one, many) in plural_table.items():
        po = re.sub(
            rf'(msgid "{re.escape(escape(src))}"\nmsgid_plural "[^"]*"\n)msgstr\[0\] "[^"]*"\n'
            r'msgstr\[1\] "[^"]*"\n',
            lambda m, o=one, n=many: f'{m.group(1)}msgstr[0] "{o}"\nmsgstr[1] "{n}"\n', po)
    path.write_text(po, encoding="utf-8")
    missing = re.findall(r'msgid "(.+)"\nmsgstr ""\n', po)
    # A string with line breaks is split over several lines, which the tables cannot match.
    missing += re.findall(r'msgid ""\n((?:"[^\n]*"\n)+)msgstr ""\n', po)
    if missing:
        raise SystemExit(f"untranslated: {missing}")
    _django_admin("compilemessages")


if __name__ == "__main__":
    main()

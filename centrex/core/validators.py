"""The strict grammar for everything a user types that can end up in an Asterisk file.

Config injection is a security bug: a newline in a name would start a new line of
``pjsip.conf``, a semicolon a comment, a bracket a new section, a comma a new argument of a
dialplan application. Every model field that reaches a file uses one of these validators,
and the renderers check again before writing (see ``centrex.pbx.confgen.syntax``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EXTENSION_RE = re.compile(r"[0-9]{2,10}")
PIN_RE = re.compile(r"[0-9]{4,8}")
# A public number as shown to callers: E.164 with "+", or national digits.
PUBLIC_NUMBER_RE = re.compile(r"\+?[0-9]{3,20}")
# Characters that have a meaning in Asterisk files or in a caller-ID string.
FORBIDDEN_IN_NAMES = set('\r\n[];,"<>\\=$|{}()')


def validate_extension(value: str) -> None:
    """An internal number: 2 to 10 digits, nothing else."""
    if not isinstance(value, str) or not EXTENSION_RE.fullmatch(value):
        raise ValidationError(
            _("An extension number is made of 2 to 10 digits (got “%(value)s”)."),
            code="invalid_extension",
            params={"value": value},
        )


def validate_pin(value: str) -> None:
    """A voicemail PIN: 4 to 8 digits (it is typed on a phone keypad)."""
    if not isinstance(value, str) or not PIN_RE.fullmatch(value):
        raise ValidationError(_("A PIN is made of 4 to 8 digits."), code="invalid_pin")


def validate_safe_name(value: str) -> None:
    """A display name: printable text without the characters Asterisk files give a meaning."""
    bad = sorted({c for c in value if c in FORBIDDEN_IN_NAMES})
    if not value.isprintable():
        raise ValidationError(
            _("A name cannot contain line breaks, tabs or invisible characters."),
            code="control_char",
        )
    if bad:
        raise ValidationError(
            _("A name cannot contain these characters: %(chars)s"),
            code="forbidden_char",
            params={"chars": " ".join(bad)},
        )
    if value != value.strip():
        raise ValidationError(
            _("A name cannot start or end with a space."), code="surrounding_space"
        )


def parse_networks(text: str) -> list:
    """Lines of CIDR networks → ip_network objects (blank lines and spaces ignored)."""
    import ipaddress

    networks = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            networks.append(ipaddress.ip_network(line, strict=False))
        except ValueError as exc:
            raise ValidationError(
                _("Line %(line)s is not a network (e.g. 192.168.1.0/24): “%(value)s”."),
                code="invalid_network",
                params={"line": number, "value": line},
            ) from exc
    return networks


def validate_networks(text: str) -> None:
    parse_networks(text)


def validate_public_number(value: str) -> None:
    """A number shown to the people called (outbound caller ID): digits, optional "+"."""
    if value and not PUBLIC_NUMBER_RE.fullmatch(value):
        raise ValidationError(
            _("Enter a phone number: digits only, optionally starting with “+” (3 to 20)."),
            code="invalid_public_number")

"""Building Asterisk configuration text that cannot be broken by what users typed.

Models validate their fields, but the renderers are the last gate before a file: every
section name, option and dialplan argument goes through these helpers, which refuse (with
ConfigSyntaxError) anything that would start a new line, a comment, a section or an
argument. A rejected value means a bug upstream, never a broken file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

SECTION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]{0,79}")
OPTION_RE = re.compile(r"[a-z_][a-z0-9_]{0,63}")
_CHECKED_OPTIONS: set[str] = set()
# A dialplan argument must not close the application, split its arguments or expand.
ARG_RE = re.compile(r"[A-Za-z0-9_.+*#@/ \u00c0-\u017f'-]*")
REVISION_SECTION = "centrex-revision"


class ConfigSyntaxError(ValueError):
    """A value that would break an Asterisk file reached a renderer."""


def name(value: str) -> str:
    if not SECTION_RE.fullmatch(value):
        raise ConfigSyntaxError(f"invalid section name: {value!r}")
    return value


def value(text: str | int) -> str:
    """An option value: printable, one line, no ';' (which would start a comment)."""
    text = str(text)
    if not text.isprintable() or ";" in text:
        raise ConfigSyntaxError(f"invalid option value: {text!r}")
    return text


def arg(text: str | int) -> str:
    """One argument of a dialplan application (already known to be safe by grammar)."""
    text = str(text)
    if not ARG_RE.fullmatch(text):
        raise ConfigSyntaxError(f"invalid dialplan argument: {text!r}")
    return text


def comment_text(text: str) -> str:
    """Text after a ';': anything on one line."""
    if "\n" in text or "\r" in text:
        raise ConfigSyntaxError(f"invalid comment: {text!r}")
    return text


def field(text: str) -> str:
    """A comma-separated field (voicemail.conf mailbox lines): a value without commas."""
    text = value(text)
    if "," in text or "|" in text:
        raise ConfigSyntaxError(f"invalid field: {text!r}")
    return text


def section(
    section_name: str, options: Iterable[tuple[str, str | int]], comment: str = ""
) -> str:
    """``[name]`` followed by ``key = value`` lines, in the order given."""
    lines = [f"; {comment_text(comment)}"] if comment else []
    lines.append(f"[{name(section_name)}]")
    options = list(options)
    for key, _ in options:
        if key not in _CHECKED_OPTIONS:  # a handful of names, checked once each
            if not OPTION_RE.fullmatch(key):
                raise ConfigSyntaxError(f"invalid option name: {key!r}")
            _CHECKED_OPTIONS.add(key)
    lines.extend([f"{key} = {value(val)}" for key, val in options])
    return "\n".join(lines) + "\n"


def header(title: str) -> str:
    return (
        f"; {comment_text(title)}\n"
        "; Rendered by Centrex from its database: do not edit, changes are overwritten.\n"
    )


def revision(body: str) -> str:
    """A short fingerprint of a file's content, written into the file itself.

    After a reload Centrex asks Asterisk (through AMI) which revision it runs: if it is not
    the one just written, Asterisk did not take the file.
    """
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def quoted_callerid(display: str, number: str) -> str:
    return value(f'"{display}" <{number}>')


REVISION_RE = re.compile(r"CENTREX_REVISION=([0-9a-f]{16})|NoOp\(([0-9a-f]{16})\)|-,([0-9a-f]{16})")


def revision_of(text: str) -> str:
    """The revision a rendered file carries (written by the renderer's sentinel).

    The marker is always the file's last section: only the tail is searched, which matters
    when the file describes 10,000 phones."""
    matches = list(REVISION_RE.finditer(text, max(0, len(text) - 1024)))
    if not matches:
        raise ConfigSyntaxError("rendered file carries no revision")
    return next(g for g in matches[-1].groups() if g)

"""Registration of the calendars part: renderers, audit, administrators' permissions."""

from __future__ import annotations


def install() -> None:
    """Called once by IvrConfig.ready."""

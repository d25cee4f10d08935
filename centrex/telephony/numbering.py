"""One numbering plan: phones, ring groups, conference rooms... share the extensions.

Every app that gives something an internal number registers where those numbers live;
``check_free`` then refuses a number another object already holds, whatever its kind, with
a message that says which kind, so that the dialplan never has two meanings for one number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    label: Promise | str  # "a phone", "a ring group"... (lazy, translated when shown)
    queryset: Callable[[], QuerySet] | None
    field: str = "extension"
    # Answered in ``centrex-internal``, so inbound numbers and forwards may go there (a
    # phone, a ring group, a conference room); not an emergency number or a paging group.
    reachable: bool = False
    # Numbers that live in the settings rather than in a table (call parking).
    reserved: Callable[[], Iterable[str]] | None = None

    def holds(self, number: str, exclude: Model | None = None) -> bool:
        if self.reserved is not None:
            return number in set(self.reserved())
        qs = self.queryset()
        if exclude is not None and qs.model is type(exclude):
            return False  # left to the model's own unique constraint
        return qs.filter(**{self.field: number}).exists()


_SOURCES: list[Source] = []


def register_source(label: Promise | str, queryset: Callable[[], QuerySet],
                    field: str = "extension", *, reachable: bool = False) -> None:
    _SOURCES.append(Source(label, queryset, field, reachable))


def register_reserved(label: Promise | str, numbers: Callable[[], Iterable[str]]) -> None:
    """Numbers kept for something configured in the settings, not stored in a table."""
    _SOURCES.append(Source(label, None, reserved=numbers))


def reachable(number: str) -> bool:
    """Whether ``number`` is answered in ``centrex-internal`` (inbound numbers, forwards)."""
    return any(source.reachable and source.holds(number) for source in _SOURCES)


def reachable_numbers() -> list[tuple[str, str]]:
    """Every number answered in ``centrex-internal`` with what answers it, for pickers (the
    scenario editor's transfer)."""
    found = []
    for source in _SOURCES:
        if source.reachable and source.queryset is not None:
            for obj in source.queryset():
                found.append((str(getattr(obj, source.field)), f"{obj} ({source.label})"))
    return sorted(found)


def holder(number: str, exclude: Model | None = None) -> Source | None:
    """The kind of object, other than ``exclude``'s kind, that already uses ``number``.

    Objects of ``exclude``'s own kind are left to its model's unique constraint, which
    gives the usual message on the right field."""
    return next((source for source in _SOURCES if source.holds(number, exclude)), None)


def check_free(number: str, exclude: Model | None = None, field: str = "extension") -> None:
    """Raise a ValidationError on ``field`` if another object uses ``number``."""
    if not number:
        return
    source = holder(number, exclude)
    if source is not None:
        raise ValidationError({field: _("This number is already used by %(what)s.") % {
            "what": source.label}}, code="number_taken")


def _phones() -> QuerySet:
    from centrex.telephony.models import Phone

    return Phone.objects.all()


register_source(_("a phone"), _phones, reachable=True)

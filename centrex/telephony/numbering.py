"""One numbering plan: phones, ring groups, conference rooms... share the extensions.

Every app that gives something an internal number registers where those numbers live;
``check_free`` then refuses a number another object already holds, whatever its kind, with
a message that says which kind, so that the dialplan never has two meanings for one number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    label: Promise | str  # "a phone", "a ring group"... (lazy, translated when shown)
    queryset: Callable[[], QuerySet]
    field: str = "extension"
    # Answered in ``centrex-internal``, so inbound numbers and forwards may go there (a
    # phone, a ring group, a conference room); not an emergency number or a paging group.
    reachable: bool = False


_SOURCES: list[Source] = []


def register_source(label: Promise | str, queryset: Callable[[], QuerySet],
                    field: str = "extension", *, reachable: bool = False) -> None:
    _SOURCES.append(Source(label, queryset, field, reachable))


def reachable(number: str) -> bool:
    """Whether ``number`` is answered in ``centrex-internal`` (inbound numbers, forwards)."""
    return any(source.reachable and source.queryset().filter(**{source.field: number}).exists()
               for source in _SOURCES)


def holder(number: str, exclude: Model | None = None) -> Source | None:
    """The kind of object, other than ``exclude``'s kind, that already uses ``number``.

    Objects of ``exclude``'s own kind are left to its model's unique constraint, which
    gives the usual message on the right field."""
    for source in _SOURCES:
        qs = source.queryset()
        if exclude is not None and qs.model is type(exclude):
            continue
        if qs.filter(**{source.field: number}).exists():
            return source
    return None


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

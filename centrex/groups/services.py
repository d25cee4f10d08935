"""Saving ring groups, paging groups, short numbers and pickup groups.

Pages, API and tests call these, never ``save()``: each change and its apply share one
transaction (``applied()``), so when Asterisk refuses the new dialplan nothing is saved.
Members are given as extensions, in order (the order of a ring group "in order").
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from centrex.groups.models import PagingGroup, RingGroup, RingGroupMember, SpeedDial
from centrex.telephony.models import Phone, PickupGroup
from centrex.telephony.services import applied

MAX_MEMBERS = 100


def phones_by_extension(extensions: Sequence[str], field: str = "members") -> list[Phone]:
    """The phones of ``extensions``, in that order (no duplicates); an unknown one is a
    validation error on ``field`` that names it."""
    wanted: list[str] = []
    for ext in extensions:
        ext = str(ext).strip()
        if ext and ext not in wanted:
            wanted.append(ext)
    if len(wanted) > MAX_MEMBERS:
        raise ValidationError({field: _("At most %(n)s members.") % {"n": MAX_MEMBERS}})
    found = {p.extension: p for p in Phone.objects.filter(extension__in=wanted)}
    unknown = [e for e in wanted if e not in found]
    if unknown:
        raise ValidationError({field: _("No phone has the extension %(list)s.")
                               % {"list": ", ".join(unknown)}})
    return [found[e] for e in wanted]


def save_ring_group(group: RingGroup, members: Sequence[str] | None = None) -> RingGroup:
    """Create or change a ring group; ``members`` (extensions, in ringing order) replaces
    its members when given."""
    with applied():
        phones = phones_by_extension(members) if members is not None else None
        group.full_clean()
        group.save()
        if phones is not None:
            group.memberships.all().delete()
            RingGroupMember.objects.bulk_create([
                RingGroupMember(group=group, phone=p, position=i)
                for i, p in enumerate(phones)])
    return group


def save_paging_group(group: PagingGroup, members: Sequence[str] | None = None) -> PagingGroup:
    with applied():
        phones = phones_by_extension(members) if members is not None else None
        group.full_clean()
        group.save()
        if phones is not None:
            group.members.set(phones)
    return group


def save_speed_dial(dial: SpeedDial) -> SpeedDial:
    with applied():
        dial.full_clean()
        dial.save()
    return dial


def delete(obj: RingGroup | PagingGroup | SpeedDial) -> None:
    """Delete and apply. A ring group other groups fall back to leaves them pointing at a
    number that no longer exists: their callers are then hung up (docs/groups.md)."""
    with applied():
        obj.delete()


def save_pickup_group(group: PickupGroup) -> PickupGroup:
    """Only the name and description change; Asterisk knows groups by number, so there is
    nothing to apply."""
    group.full_clean()
    group.save(update_fields=["name", "description"])
    return group

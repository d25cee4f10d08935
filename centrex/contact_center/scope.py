"""Which queues a user may work in or supervise.

A queue's agents are the members of its ``AG <queue>`` group, its supervisors the members
of ``SV <queue>`` (seeds/002); administrators act on every queue. Every page and API
operation of the contact center asks here, never the groups directly.
"""

from __future__ import annotations

from django.db.models import QuerySet

from centrex.contact_center.models import Queue
from centrex.core import roles

AGENTS = "AG"
SUPERVISORS = "SV"


def _group_names(user, prefix: str) -> list[str]:
    if not user.is_authenticated:
        return []
    return [name.split(" ", 1)[1] for name in
            user.groups.filter(name__startswith=f"{prefix} ").values_list("name", flat=True)]


def supervised_queues(user) -> QuerySet[Queue]:
    """The queues this user supervises: all for an administrator."""
    if roles.is_admin(user):
        return Queue.objects.all()
    return Queue.objects.filter(name__in=_group_names(user, SUPERVISORS))


def agent_queues(user) -> QuerySet[Queue]:
    """The queues this user may log in to as an agent (their ``AG`` profiles)."""
    return Queue.objects.filter(name__in=_group_names(user, AGENTS))


def may_supervise(user, queue: Queue) -> bool:
    return roles.in_scoped_profile(user, SUPERVISORS, queue.name)


def may_work(user, queue: Queue) -> bool:
    return user.is_authenticated and user.groups.filter(
        name=f"{AGENTS} {queue.name}").exists()

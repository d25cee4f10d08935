"""Saving queues, pause reasons and the contact-center settings (docs/contact_center.md).

Pages, the API and tests call these, never ``save()``: a queue and its apply share one
transaction (``applied()``), so when Asterisk refuses the new queues nothing is saved. A
queue owns two profiles, ``AG <name>`` (its agents) and ``SV <name>`` (its supervisors):
created with it, renamed with it (members kept), deleted with it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centrex.contact_center import scope
from centrex.contact_center.models import ContactCenterSettings, PauseReason, Queue
from centrex.telephony.services import applied

AGENT_PERMISSIONS = ("contact_center.work",)
SUPERVISOR_PERMISSIONS = ("contact_center.supervise", "contact_center.view_recording",
                          "reports.view_queue_statistics")
# Section names queues.conf keeps for itself.
RESERVED_NAMES = {"general"}


def _permissions(dotted: tuple[str, ...]) -> list[Permission]:
    perms = []
    for name in dotted:
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(content_type__app_label=app_label,
                                         codename=codename).first()
        if perm is not None:
            perms.append(perm)
    return perms


def profile_names(queue_name: str) -> tuple[str, str]:
    return f"{scope.AGENTS} {queue_name}", f"{scope.SUPERVISORS} {queue_name}"


def _sync_profiles(queue: Queue, old_name: str | None) -> None:
    """Create (or rename) the queue's two groups and give them their permissions."""
    for prefix, perms in ((scope.AGENTS, AGENT_PERMISSIONS),
                          (scope.SUPERVISORS, SUPERVISOR_PERMISSIONS)):
        wanted = f"{prefix} {queue.name}"
        group = None
        if old_name and old_name != queue.name:
            group = Group.objects.filter(name=f"{prefix} {old_name}").first()
            if group is not None:
                Group.objects.filter(name=wanted).exclude(pk=group.pk).delete()
                group.name = wanted
                group.save(update_fields=["name"])
        if group is None:
            group, _created = Group.objects.get_or_create(name=wanted)
        group.permissions.set(_permissions(perms))


def sync_all_profiles(**_kwargs) -> None:
    """After every migration: the queues' groups hold exactly today's permissions (a
    permission added to a profile in a new version reaches the existing queues)."""
    for queue in Queue.objects.all():
        _sync_profiles(queue, None)


def check_name(name: str, queue: Queue | None = None) -> None:
    """Asterisk knows queues case-insensitively, and [general] is queues.conf's own."""
    if name.lower() in RESERVED_NAMES:
        raise ValidationError(_("“%(name)s” is reserved by Asterisk.") % {"name": name})
    others = Queue.objects.filter(name__iexact=name)
    if queue is not None and queue.pk:
        others = others.exclude(pk=queue.pk)
    if others.exists():
        raise ValidationError(_("A queue with this name exists."))


def _check_name(queue: Queue) -> None:
    try:
        check_name(queue.name or "", queue)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from exc


def save_queue(queue: Queue) -> Queue:
    """Create or change a queue, its profiles, and apply."""
    old_name = None
    if queue.pk:
        old_name = Queue.objects.filter(pk=queue.pk).values_list("name", flat=True).first()
    with applied():
        _check_name(queue)
        queue.full_clean()
        queue.save()
        _sync_profiles(queue, old_name)
        if old_name and old_name != queue.name:
            # The verifier's reconcile reads committed rows only, which still name the old
            # queue: the agents are put back in the renamed queue once this is committed.
            transaction.on_commit(_reconcile_agents)
    return queue


def _reconcile_agents() -> None:
    try:
        from centrex.contact_center import agents
    except ImportError:
        return
    agents.reconcile_now()


def delete_queue(queue: Queue) -> None:
    """Delete a queue, its agents (cascade) and its two profiles, and apply. Ring groups,
    inbound numbers and forwards that sent calls to its number are left pointing at a
    number that no longer answers (as for any deleted number)."""
    with applied():
        Group.objects.filter(name__in=profile_names(queue.name)).delete()
        queue.delete()


def save_pause_reason(reason: PauseReason) -> PauseReason:
    """Pause reasons live in the database only (the agents part passes them to Asterisk
    with each pause), so no apply."""
    with transaction.atomic():
        reason.full_clean()
        reason.save()
    return reason


def delete_pause_reason(reason: PauseReason) -> None:
    """Agents paused with this reason stay paused, without a reason (SET_NULL)."""
    reason.delete()


def save_settings(settings: ContactCenterSettings) -> ContactCenterSettings:
    settings.full_clean()
    settings.save()
    return settings


def queue_profiles() -> list[tuple[str, str]]:
    """(group name, label) of every queue's two profiles, for the user form's checkboxes."""
    rows = []
    for name in Queue.objects.order_by("name").values_list("name", flat=True):
        agents, supervisors = profile_names(name)
        rows.append((agents, _("Agent of the queue %(name)s") % {"name": name}))
        rows.append((supervisors, _("Supervisor of the queue %(name)s") % {"name": name}))
    return rows

"""Profiles (roles) and scope.

A profile is a Django group with permissions (seeds/002, "Profils"). The table below is
the reference; ``sync_profiles`` makes the groups match it after every migration. Other
apps add profiles of their own with ``register_profile`` — the contact center adds
``AG <queue>`` and ``SV <queue>`` groups per queue, scoped to that queue, through
``scoped_profile`` — and every view and API endpoint asks this module, never the groups
directly, both *may this user do that* (permission) and *on which objects* (scope).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ADMIN = "admin"
CRUD = [f"{action}_{model}" for model in ("user", "department", "phone")
        for action in ("add", "change", "delete", "view")]


@dataclass(frozen=True)
class Profile:
    name: str
    label: Promise | str  # lazy: translated when shown, in the reader's language
    permissions: tuple[str, ...]  # "app_label.codename"


PROFILES: dict[str, Profile] = {}


def register_profile(name: str, label: Promise | str, permissions: Iterable[str]) -> Profile:
    profile = Profile(name, label, tuple(permissions))
    PROFILES[name] = profile
    return profile


register_profile(ADMIN, _("Administrator"), [
    "core.administer", "core.view_audit", "core.view_all_costs", "core.view_all_calls",
    "core.view_all_stats", "core.view_global_stats", "core.switch_incidents",
    "core.forward_external",
    *(f"core.{p}" for p in CRUD if not p.endswith("phone")),
    *(f"telephony.{p}" for p in CRUD if p.endswith("phone")),
])
register_profile("direction", _("Management (all costs and statistics)"), [
    "core.view_all_costs", "core.view_all_stats", "core.view_global_stats",
])
register_profile("compta", _("Accounting (all costs)"), ["core.view_all_costs"])
register_profile("chef_de_service", _("Department head"), [
    "core.view_department_calls", "core.view_department_costs",
])
register_profile("appels", _("Call log of everyone"), ["core.view_all_calls"])
register_profile("stats", _("Global statistics"), ["core.view_global_stats"])
register_profile("inc", _("Incident supervisor"), ["core.switch_incidents"])
register_profile("renvoi_externe", _("External forwards"), ["core.forward_external"])


def extend_profile(name: str, permissions: Iterable[str]) -> Profile:
    """Add an app's permissions to an existing profile (from the app's ``ready``)."""
    profile = PROFILES[name]
    extra = [p for p in permissions if p not in profile.permissions]
    return register_profile(profile.name, profile.label, [*profile.permissions, *extra])


_PROFILE_SOURCES: list[Callable[[], Iterable[tuple[str, str]]]] = []


def register_profile_source(source: Callable[[], Iterable[tuple[str, str]]]) -> None:
    """Profiles that come and go with objects (a queue's ``AG``/``SV`` groups, created and
    deleted by their app): ``source()`` → (group name, label), read each time profiles are
    offered. ``sync_profiles`` leaves these groups alone."""
    _PROFILE_SOURCES.append(source)


def offered_profiles() -> list[tuple[str, str]]:
    """(name, label) of every profile an administrator may hand out: the fixed ones, then
    the ones of objects."""
    rows = [(p.name, str(p.label)) for p in PROFILES.values()]
    for source in _PROFILE_SOURCES:
        rows += [(name, str(label)) for name, label in source()]
    return rows


def scoped_profile(
    prefix: str, scope_name: str, label: Promise | str, permissions: Iterable[str]
) -> str:
    """A profile bound to one object, e.g. ``scoped_profile("SV", "Sales", ...)`` → the group
    ``SV Sales``. Its members hold the permissions only on that object: the owning app
    checks membership of that group with ``in_scoped_profile``."""
    name = f"{prefix} {scope_name}"
    register_profile(name, label, permissions)
    return name


def sync_profiles(**_kwargs) -> None:
    """Create or update the groups so they hold exactly the permissions of PROFILES."""
    from django.contrib.auth.models import Group, Permission

    for profile in PROFILES.values():
        group, _ = Group.objects.get_or_create(name=profile.name)
        perms = []
        for dotted in profile.permissions:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm("core.administer")))


def profiles_of(user) -> list[str]:
    if not user.is_authenticated:
        return []
    names = list(user.groups.values_list("name", flat=True))
    if user.is_superuser and ADMIN not in names:
        names.append(ADMIN)
    return sorted(names)


def in_scoped_profile(user, prefix: str, scope_name: str) -> bool:
    return user.is_authenticated and (
        is_admin(user) or user.groups.filter(name=f"{prefix} {scope_name}").exists()
    )


# -- scope ---------------------------------------------------------------------------------
def users_in_scope(user, queryset: QuerySet) -> QuerySet:
    """Users this user may read: all for an administrator, the department for a department
    head, else only themselves."""
    if is_admin(user):
        return queryset
    if user.has_perm("core.view_department_calls") and user.department_id:
        return queryset.filter(Q(department_id=user.department_id) | Q(pk=user.pk))
    return queryset.filter(pk=user.pk)


def phones_in_scope(user, queryset: QuerySet) -> QuerySet:
    if is_admin(user):
        return queryset
    if user.has_perm("core.view_department_calls") and user.department_id:
        return queryset.filter(Q(user__department_id=user.department_id) | Q(user=user))
    return queryset.filter(user=user)


def departments_in_scope(user, queryset: QuerySet) -> QuerySet:
    if is_admin(user):
        return queryset
    return queryset.filter(pk=user.department_id) if user.department_id else queryset.none()

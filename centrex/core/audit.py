"""The journal of changes: who changed what, when, from where, before and after.

Every save and delete of an audited model is recorded by signals, whatever made it (a page,
the API, the command line, a job), so no code path can forget. *Who* and *from where* come
from the acting context that the web middleware, the API authentication and the command
line set (``acting``); secrets are recorded as changed, never with their values.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save

MASK = "••••••"


@dataclass
class Actor:
    source: str = "system"
    user: object | None = None
    name: str = ""
    address: str = ""


_actor: ContextVar[Actor | None] = ContextVar("centrex_audit_actor", default=None)


@contextlib.contextmanager
def acting(source: str, user=None, address: str = "", name: str = "") -> Iterator[Actor]:
    """Attribute what happens inside to ``user`` (or ``name``) acting through ``source``."""
    actor = Actor(source, user, name, address)
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get() or Actor()


@dataclass(frozen=True)
class Audited:
    masked: frozenset[str]
    ignored: frozenset[str]


_AUDITED: dict[type[Model], Audited] = {}


def audited(model: type[Model], masked: tuple[str, ...] = (), ignored: tuple[str, ...] = ()):
    _AUDITED[model] = Audited(frozenset(masked), frozenset(ignored))
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_before, sender=model, dispatch_uid=uid + "-pre")
    post_save.connect(_after, sender=model, dispatch_uid=uid + "-post")
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-del")
    return model


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | decimal.Decimal):
        return str(value)
    return str(value)


def _fields(instance: Model) -> dict:
    conf = _AUDITED[type(instance)]
    return {
        f.attname: _plain(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.attname not in conf.ignored
    }


def _before(sender, instance: Model, **kwargs) -> None:
    old = None
    if instance.pk is not None:
        obj = sender._default_manager.filter(pk=instance.pk).first()
        old = _fields(obj) if obj is not None else None
    instance._audit_before = old


def _diff(conf: Audited, before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        # An empty text on creation or deletion says nothing: not journaled.
        if old != new and not (old in (None, "") and new in (None, "")):
            changes[key] = [MASK, MASK] if key in conf.masked else [old, new]
    return changes


def _after(sender, instance: Model, created: bool, **kwargs) -> None:
    before = None if created else getattr(instance, "_audit_before", None)
    changes = _diff(_AUDITED[sender], before, _fields(instance))
    if changes or created:
        record("create" if created else "update", instance, changes)


def _deleted(sender, instance: Model, **kwargs) -> None:
    record("delete", instance, _diff(_AUDITED[sender], _fields(instance), None))


def record(action: str, obj: Model | None = None, changes: dict | None = None,
           object_repr: str = "") -> None:
    """Write one journal entry in the acting context."""
    from centrex.core.models import AuditEntry

    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    AuditEntry.objects.create(
        actor=user,
        actor_name=actor.name or (user.get_username() if user else ""),
        source=actor.source,
        address=actor.address,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        changes=changes or {},
    )


def connect() -> None:
    """Register the audited models (called once from CoreConfig.ready)."""
    from centrex.core.models import Department, SiteSettings, User
    from centrex.telephony.models import Phone

    audited(User, masked=("password",), ignored=("last_login",))
    audited(Department)
    audited(SiteSettings)
    audited(Phone, masked=("sip_ha1", "voicemail_pin"), ignored=("created", "updated"))

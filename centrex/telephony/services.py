"""Creating and changing phones, shared by the CLI, the pages and the API.

Every change that Asterisk must know about runs inside ``applied()``: the database change
and the apply share one transaction, so when Asterisk refuses (or cannot be reached) the
database is rolled back and nothing is half-done. The pages, the import and the API call
these functions rather than saving phones themselves, so none of them can forget to apply.

``registrations`` reads the live registration state of phones from Asterisk (AMI).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centrex.core import audit
from centrex.core.models import User
from centrex.core.services import (
    create_user,
    department_named,
    split_name,
    username_from_name,
)
from centrex.core.validators import validate_safe_name
from centrex.pbx.ami import AMIClient, AMIError
from centrex.pbx.apply import ApplyError, apply
from centrex.pbx.connection import NotConfigured, target
from centrex.telephony import forwards
from centrex.telephony.models import PICKUP_GROUP_COUNT, Phone, PickupGroup

# What a page shows as "Asterisk did not take the change" (the change was rolled back).
APPLY_ERRORS = (ApplyError, NotConfigured)
# How long a page waits for Asterisk's live state before showing it as unknown.
LIVE_TIMEOUT = 3.0


@contextlib.contextmanager
def applied() -> Iterator[None]:
    """One transaction for the database change and its apply: a refused apply rolls back."""
    with transaction.atomic():
        yield
        apply()


def create_phone_with_user(
    extension: str, name: str, department: str | None = None, *, apply_now: bool = True
) -> tuple[Phone, str]:
    """Create a user and their phone, apply it, and return the phone and its SIP password.

    Everything happens in one transaction that also covers the apply: if Asterisk refuses
    the change, the database is rolled back and the files restored, so nothing is left
    half-done. The password is returned once; only its digest hash is stored.
    """
    try:
        validate_safe_name(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from exc
    with transaction.atomic():
        first, last = split_name(name)
        user = User(
            username=username_from_name(name),
            first_name=first,
            last_name=last,
            department=department_named(department),
        )
        user.set_unusable_password()
        user.full_clean()
        phone = Phone(extension=extension, name=name, user=user)
        password = phone.set_sip_password()
        phone.full_clean(exclude=["user"])
        user.save()
        phone.user = user
        phone.save()
        if apply_now:
            apply()
    return phone, password


def change_sip_password(phone: Phone, password: str | None = None) -> str:
    """Give a phone a new SIP secret (generated if not given) and apply it."""
    with applied():
        new = phone.set_sip_password(password)
        phone.save(update_fields=["sip_ha1", "updated"])
    return new


def regenerate_sip_secret(phone: Phone) -> str:
    """A new generated SIP secret, applied and journaled; returned to be shown once."""
    with applied():
        secret = phone.set_sip_password()
        phone.save(update_fields=["sip_ha1", "updated"])
        audit.record("secret_regenerated", phone)
    return secret


# -- phones from the pages, the import and the API -----------------------------------------
def prepare_new_phone(phone: Phone) -> str:
    """Give a new phone its SIP secret and check it; returns the secret (not saved yet)."""
    password = phone.set_sip_password()
    phone.full_clean(exclude=["user"])
    return password


# Call and pickup groups of a phone: {"call_groups": [numbers], "pickup_groups": [...]};
# None (or a key left out) keeps them as they are.
Groups = dict[str, Iterable[int]] | None


def set_groups(phone: Phone, groups: Groups) -> None:
    """Set a saved phone's call and pickup groups from group numbers (0 to 63)."""
    for name in ("call_groups", "pickup_groups"):
        if groups is not None and groups.get(name) is not None:
            numbers = sorted(set(groups[name]))
            if any(not 0 <= n < PICKUP_GROUP_COUNT for n in numbers):
                raise ValidationError({name: _("Groups are numbered from 0 to 63.")})
            PickupGroup.ensure_all()
            found = list(PickupGroup.objects.filter(number__in=numbers))
            if len(found) != len(numbers):
                raise ValidationError({name: _("Groups are numbered from 0 to 63.")})
            getattr(phone, name).set(found)


def create_phone(phone: Phone, groups: Groups = None) -> str:
    """Save a new phone, apply it, and return its SIP secret (shown once)."""
    with applied():
        password = prepare_new_phone(phone)
        phone.save()
        set_groups(phone, groups)
    return password


def update_phone(phone: Phone, pin: str | None = None, groups: Groups = None) -> None:
    """Save a changed phone (and a new voicemail PIN if given), then apply. Forwards to its
    old extension (if renumbered) are switched off."""
    with applied():
        if pin:
            phone.voicemail_pin = pin
        phone.full_clean(exclude=["user"])
        old = Phone.objects.filter(pk=phone.pk).values_list("extension", flat=True).first()
        if old and old != phone.extension:
            forwards.drop_forwards_to(old, keep=phone)
        phone.save()
        set_groups(phone, groups)


def delete_phone(phone: Phone) -> None:
    """Delete a phone; the forwards that went to it are switched off."""
    with applied():
        forwards.drop_forwards_to(phone.extension, keep=phone)
        phone.delete()


def change_voicemail_pin(phones: Iterable[Phone], pin: str) -> None:
    """Set the voicemail PIN of these phones (a user's own), one apply for all."""
    with applied():
        for phone in phones:
            phone.voicemail_pin = pin
            phone.full_clean(exclude=["user"])
            phone.save(update_fields=["voicemail_pin", "updated"])


@dataclass
class NewUser:
    """What creating a user gave, to be shown once: their first password, their phone's
    SIP secret."""

    user: User
    password: str | None = None
    phone: Phone | None = None
    sip_password: str | None = None


def create_user_with_phone(
    user: User, profiles: Sequence[str], *, give_password: bool, phone: Phone | None
) -> NewUser:
    """Create a user (profiles, first password) and, if given, their phone, in one apply.
    Users are not in Asterisk's configuration: without a phone, nothing is applied."""
    if phone is None:
        return NewUser(user, create_user(user, profiles, give_password=give_password))
    with applied():
        result = NewUser(user, create_user(user, profiles, give_password=give_password))
        if phone is not None:
            phone.user = user
            result.phone, result.sip_password = phone, prepare_new_phone(phone)
            phone.save()
    return result


def delete_user(user: User, *, with_phones: bool) -> None:
    """Delete a user; their phones go with them (applied), or stay without a user."""
    phones = list(user.phones.all()) if with_phones else []
    with applied() if phones else transaction.atomic():
        for phone in phones:
            phone.delete()
        user.delete()


# -- live state from Asterisk -------------------------------------------------------------
@dataclass(frozen=True)
class Contact:
    """One registered device of a phone, as Asterisk reports it."""

    uri: str
    address: str
    user_agent: str
    status: str  # Reachable, Unreachable, NonQualified (not checked yet), Unknown
    roundtrip_ms: float | None
    expires: datetime.datetime | None


@dataclass
class Registration:
    """A phone's registration state: ``known`` is False when Asterisk has no such endpoint
    (not applied yet), ``error`` says why the state could not be read."""

    known: bool = True
    contacts: list[Contact] = field(default_factory=list)
    device_state: str = ""
    error: str = ""

    @property
    def registered(self) -> bool:
        return bool(self.contacts)


def _contact(event) -> Contact:
    rtt = event.get("RoundtripUsec", "")
    expires = event.get("RegExpire", "")
    return Contact(
        uri=event.get("URI", ""),
        address=event.get("ViaAddress", ""),
        user_agent=event.get("UserAgent", ""),
        status=event.get("Status", ""),
        roundtrip_ms=int(rtt) / 1000 if rtt.isdigit() else None,
        expires=(datetime.datetime.fromtimestamp(int(expires), tz=datetime.UTC)
                 if expires.isdigit() and int(expires) > 0 else None),
    )


async def _endpoint(ami: AMIClient, name: str) -> Registration:
    try:
        _response, events = await ami.action_list("PJSIPShowEndpoint", Endpoint=name)
    except AMIError as exc:
        if "Unable to retrieve endpoint" in str(exc):
            return Registration(known=False)
        raise
    reg = Registration()
    for event in events:
        if event.get("Event") == "EndpointDetail":
            reg.device_state = event.get("DeviceState", "")
        elif event.get("Event") == "ContactStatusDetail" and event.get("URI"):
            reg.contacts.append(_contact(event))
    return reg


async def _registrations(conn: dict, names: Sequence[str]) -> list[Registration]:
    ami = AMIClient(**{**conn, "timeout": LIVE_TIMEOUT}, keepalive=0, reconnect=False)
    try:
        await ami.connect()
        return list(await asyncio.gather(*(_endpoint(ami, n) for n in names)))
    finally:
        await ami.close()


def registrations(phones: Sequence[Phone]) -> dict[str, Registration]:
    """The live registration state of these phones, by SIP user name, in one AMI session.

    When Asterisk cannot be asked, every phone gets a Registration whose ``error`` says
    why, so that a page can still be drawn.
    """
    names = [p.sip_username for p in phones]
    if not names:
        return {}
    try:
        found = asyncio.run(_registrations(target().ami, names))
    except (AMIError, OSError, NotConfigured, TimeoutError) as exc:
        unknown = Registration(known=False, error=str(exc) or type(exc).__name__)
        return dict.fromkeys(names, unknown)
    return dict(zip(names, found, strict=True))


def sip_server() -> tuple[str, int] | None:
    """Where phones register (host, port), or None when no Asterisk is configured."""
    try:
        tgt = target()
    except NotConfigured:
        return None
    return tgt.sip_host, tgt.sip_port


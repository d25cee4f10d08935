"""Creating and changing phones, shared by the CLI, the pages and the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from centrex.core.models import User
from centrex.core.services import department_named, split_name, username_from_name
from centrex.core.validators import validate_safe_name
from centrex.pbx.apply import apply
from centrex.telephony.models import Phone


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
    with transaction.atomic():
        new = phone.set_sip_password(password)
        phone.save(update_fields=["sip_ha1", "updated"])
        apply()
    return new


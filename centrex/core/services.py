"""Operations on users and departments shared by the CLI, the pages and the API."""

from __future__ import annotations

import re
import secrets
import unicodedata

from django.contrib.auth import get_user_model
from django.db import transaction

from centrex.core.models import Department, User


def username_from_name(full_name: str) -> str:
    """``"Élodie Le Gall"`` → ``"elodie.le.gall"``, made unique with a number if needed."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", ".", ascii_name.lower()).strip(".")[:140] or "user"
    candidate, n = base, 1
    while get_user_model().objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def split_name(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.strip().partition(" ")
    return first, last.strip()


def department_named(name: str | None) -> Department | None:
    if not name:
        return None
    dept = Department(name=name)
    dept.full_clean(validate_unique=False)
    return Department.objects.get_or_create(name=name)[0]


@transaction.atomic
def ensure_first_admin(username: str = "admin") -> str | None:
    """Create the first administrator with a random password, returned to be shown once.

    Returns None when an administrator already exists (``make run`` calls this every time).
    """
    if User.objects.filter(is_superuser=True).exists():
        return None
    from django.contrib.auth.models import Group

    from centrex.core import roles

    password = secrets.token_urlsafe(12)
    admin = User.objects.create_superuser(username=username, email="", password=password)
    admin.must_change_password = True  # the printed password is changed at first sign-in
    admin.save(update_fields=["must_change_password"])
    roles.sync_profiles()
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    return password

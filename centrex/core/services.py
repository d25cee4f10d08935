"""Operations on users and departments shared by the CLI, the pages and the API.

Nothing here talks to Asterisk: users and departments are not in its configuration. What
also changes phones (a user created with a phone, a user deleted with theirs) is in
``centrex.telephony.services``, which applies.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from centrex.core import audit
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
    from centrex.core import roles

    password = generate_password()
    admin = User.objects.create_superuser(username=username, email="", password=password)
    admin.must_change_password = True  # the printed password is changed at first sign-in
    admin.save(update_fields=["must_change_password"])
    roles.sync_profiles()
    set_profiles(admin, [roles.ADMIN])  # journaled, like every change of profiles
    return password


def generate_password() -> str:
    """A first (or reset) password to be shown once and changed at the next sign-in."""
    return secrets.token_urlsafe(12)


def set_profiles(user: User, names: Iterable[str]) -> None:
    """Give the user exactly these profiles (groups). Group membership is not a field of
    the user, so the journal's signals do not see it: the change is recorded here."""
    wanted = sorted(set(names))
    before = sorted(user.groups.values_list("name", flat=True))
    if wanted == before:
        return
    user.groups.set(Group.objects.filter(name__in=wanted))
    audit.record("profiles_changed", user, {"profiles": [before, wanted]})


@transaction.atomic
def create_user(user: User, profiles: Iterable[str], *, give_password: bool) -> str | None:
    """Save a new user with their profiles. With ``give_password`` a first password is
    generated and returned (to be shown once, changed at the first sign-in); without,
    the account cannot sign in until an administrator gives it one."""
    password = None
    if give_password:
        password = generate_password()
        user.set_password(password)
        user.must_change_password = True
    else:
        user.set_unusable_password()
    user.save()
    set_profiles(user, profiles)
    return password


@transaction.atomic
def update_user(user: User, profiles: Iterable[str] | None) -> None:
    """Save a changed user; ``profiles`` None leaves them as they are."""
    user.save()
    if profiles is not None:
        set_profiles(user, profiles)


@transaction.atomic
def give_new_password(user: User) -> str:
    """Replace a user's password by a generated one, returned to be shown once."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password

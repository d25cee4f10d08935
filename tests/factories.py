"""Objects the tests need, made the same way everywhere: a user per profile, departments,
phones, signed-in clients and API tokens.

Profiles are the ones of ``centrex.core.roles`` (``admin``, ``direction``, ...), plus three
that are not groups: ``anonymous`` (nobody signed in), ``user`` (a plain user, no group)
and ``superuser``. Phones are saved without applying anything to Asterisk (the test
settings turn the automatic apply off), so these helpers never need a running Asterisk.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import Group
from django.test import Client

from centrex.core import roles
from centrex.core.models import Department, User
from centrex.telephony.models import Phone

# Long enough for the password rules (12 characters, not a common password).
PASSWORD = "correct horse battery staple"
ANONYMOUS, PLAIN_USER, SUPERUSER = "anonymous", "user", "superuser"


def all_profiles() -> list[str]:
    """Every kind of visitor the access matrix checks, from least to most privileged."""
    return [ANONYMOUS, PLAIN_USER, *roles.PROFILES, SUPERUSER]


def make_department(name: str = "Sales") -> Department:
    return Department.objects.get_or_create(name=name)[0]


def profile_group(name: str) -> Group:
    """The group of a profile, created with its permissions if a flush removed it."""
    group = Group.objects.filter(name=name).first()
    if group is None or (roles.PROFILES[name].permissions and not group.permissions.exists()):
        roles.sync_profiles()
        group = Group.objects.get(name=name)
    return group


def make_user(
    username: str | None = None,
    *,
    profile: str = PLAIN_USER,
    department: Department | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    """A user holding ``profile`` (a name of roles.PROFILES, ``user`` or ``superuser``)."""
    username = username or f"{profile.replace(' ', '_')}_{secrets.token_hex(3)}"
    fields.setdefault("first_name", username.split("_")[0].capitalize())
    fields.setdefault("last_name", "Test")
    if profile == SUPERUSER:
        user = User.objects.create_superuser(username=username, password=password,
                                             department=department, **fields)
    else:
        user = User.objects.create_user(username=username, password=password,
                                        department=department, **fields)
    if profile not in (PLAIN_USER, SUPERUSER):
        user.groups.add(profile_group(profile))
    return user


def user_for(profile: str, *, department: Department | None = None,
             username: str | None = None) -> User | None:
    """The visitor for ``profile``: None for ``anonymous``."""
    if profile == ANONYMOUS:
        return None
    return make_user(username, profile=profile, department=department)


_extension = iter(range(5000, 10**6))


def make_phone(extension: str | None = None, *, user: User | None = None,
               name: str | None = None, **fields) -> Phone:
    """A phone (not applied to Asterisk); its SIP password is kept on ``phone.sip_password``."""
    if extension is None:
        extension = next(e for e in map(str, _extension)
                         if not Phone.objects.filter(extension=e).exists())
    phone = Phone(extension=extension, user=user,
                  name=name or (user.display_name if user else f"Phone {extension}"), **fields)
    phone.sip_password = phone.set_sip_password()
    phone.full_clean()
    phone.save()
    return phone


def client_for(user: User | None, **client_kwargs) -> Client:
    """A test client signed in as ``user`` (anonymous for None)."""
    client = Client(**client_kwargs)
    if user is not None:
        client.force_login(user)
    return client


# -- API tokens -----------------------------------------------------------------------------
def token_model():
    """The API token model, or None while the API app does not have it."""
    try:
        from centrex.api.models import ApiToken
    except ImportError:
        return None
    return ApiToken


def api_token(user: User, name: str = "tests") -> str:
    """A new personal API token of ``user``: the secret sent as ``Authorization: Bearer``."""
    from centrex.api.tokens import issue

    return issue(user, name)[1]


def api_client(user: User | None, **client_kwargs) -> Client:
    """A client that sends ``user``'s token on every request (no token for None)."""
    headers = {}
    if user is not None:
        headers["Authorization"] = f"Bearer {api_token(user)}"
    return Client(headers=headers, **client_kwargs)

"""Sign-in and portal security: password storage and rules, brute-force lockout, the
forced first password change, CSRF, security headers, idle sessions, the console
restriction, open redirects, and the voicemail PIN kept apart from the password.

None of these needs Asterisk; the tests run on the test database only.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import get_resolver, reverse
from django.utils import timezone

from centrex.core.forms import PinChangeForm
from centrex.core.models import AuditEntry, Department, SignInFailure, SiteSettings, User
from centrex.core.validators import validate_pin
from centrex.settings import base as production
from centrex.telephony.models import generate_pin
from tests.factories import PASSWORD, api_token, client_for, make_phone, make_user
from tests.integration.helpers import centrex

pytestmark = pytest.mark.django_db

SIGNIN = "/signin/"


def sign_in(client: Client, username: str, password: str, address: str = "192.0.2.1",
            next_url: str | None = None):
    url = SIGNIN + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# -- passwords -----------------------------------------------------------------------------
def test_argon2_is_the_production_hasher():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = User.objects.create_user("argon", password=PASSWORD)
        assert user.password.startswith("argon2$")
        assert User.objects.get(pk=user.pk).check_password(PASSWORD)
        assert PASSWORD not in user.password


def test_production_password_rules_are_the_tests_rules():
    assert settings.AUTH_PASSWORD_VALIDATORS == production.AUTH_PASSWORD_VALIDATORS


@pytest.mark.parametrize("password", [
    "short", "Abcdef12345",  # under 12 characters
    "password1234", "qwertyuiop123",  # common
    "alice.martin!",  # the user name
])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, User(username="alice.martin"))


@pytest.mark.parametrize("password", [PASSWORD, "le chat dort sur le canapé", "Xq7!mP2#vL9@"])
def test_long_passphrases_are_accepted(password):
    password_validation.validate_password(password, User(username="alice"))


def test_password_page_refuses_a_short_password_and_accepts_a_passphrase():
    user = make_user("alice")
    client = client_for(user)
    url = reverse("account-password")
    short = client.post(url, {"current": PASSWORD, "new": "Short1!x", "confirm": "Short1!x"})
    assert short.status_code == 200
    assert short.context["form"].errors["new"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    new = "the quick brown fox sleeps"
    good = client.post(url, {"current": PASSWORD, "new": new, "confirm": new})
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert signed_in(client), "changing one's password must not sign one out"


# -- brute force -----------------------------------------------------------------------------
LIMIT = production.CENTREX_SIGNIN_MAX_FAILURES


def test_the_limit_is_five_failures():
    assert settings.CENTREX_SIGNIN_MAX_FAILURES == LIMIT == 5


def test_four_failures_do_not_lock():
    make_user("alice")
    for n in range(LIMIT - 1):
        sign_in(Client(), "alice", "wrong password", address=f"198.51.100.{n}")
    client = Client()
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    assert signed_in(client)


def test_five_failures_lock_the_account_even_with_the_right_password():
    make_user("alice")
    for n in range(LIMIT):  # from different addresses: the account is what locks
        response = sign_in(Client(), "alice", "wrong password", address=f"198.51.100.{n}")
        assert response.status_code == 200
    client = Client()
    response = sign_in(client, "alice", PASSWORD, address="203.0.113.9")
    assert response.status_code == 200
    assert not signed_in(client)
    assert response.context["form"].non_field_errors()

    locks = AuditEntry.objects.filter(action="sign_in_locked")
    assert locks.count() == 1, "the lock is journaled once"
    lock = locks.get()
    assert "alice" in lock.object_repr
    assert lock.source == "web"
    assert lock.address == f"198.51.100.{LIMIT - 1}"

    # Another account is not affected.
    make_user("bob")
    other = Client()
    assert sign_in(other, "bob", PASSWORD, address="203.0.113.9").status_code == 302


def test_five_failures_lock_the_address():
    make_user("alice")
    for n in range(LIMIT):  # five different accounts from one address
        sign_in(Client(), f"nobody{n}", "wrong password", address="198.51.100.7")
    client = Client()
    assert sign_in(client, "alice", PASSWORD, address="198.51.100.7").status_code == 200
    assert not signed_in(client)
    assert AuditEntry.objects.filter(action="sign_in_locked",
                                     object_repr__contains="198.51.100.7").exists()

    elsewhere = Client()
    assert sign_in(elsewhere, "alice", PASSWORD, address="198.51.100.8").status_code == 302
    assert signed_in(elsewhere)


@override_settings(CENTREX_SIGNIN_LOCK_SECONDS=60)
def test_the_lock_expires_after_the_configured_time():
    make_user("alice")
    for _ in range(LIMIT):
        sign_in(Client(), "alice", "wrong password")
    client = Client()

    def age_failures(seconds: int) -> None:
        SignInFailure.objects.update(at=timezone.now() - timedelta(seconds=seconds))

    age_failures(30)
    assert sign_in(client, "alice", PASSWORD).status_code == 200
    assert not signed_in(client)
    age_failures(61)
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    assert signed_in(client)


# -- the first administrator -----------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_first_admin_must_change_the_printed_password():
    proc = centrex("init-admin")
    assert proc.returncode == 0, proc.stderr
    match = re.search(r"Password[^:]*:\s*(\S+)", proc.stdout)
    assert match, proc.stdout
    printed = match.group(1)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.must_change_password
    assert printed not in admin.password

    client = Client()
    response = sign_in(client, "admin", printed)
    password_url = reverse("account-password")
    assert response.status_code == 302 and response["Location"] == password_url
    for url in ("/", reverse("account"), *_manage_urls()[:1]):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == password_url, url
    assert client.get(password_url).status_code == 200

    new = "une phrase de passe bien longue"
    response = client.post(password_url, {"current": printed, "new": new, "confirm": new})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert not admin.must_change_password
    assert admin.check_password(new)
    assert client.get("/").status_code == 200
    for url in _manage_urls()[:1]:
        assert client.get(url).status_code == 200, url

    # A second init-admin leaves the existing administrator alone and prints no password.
    again = centrex("init-admin")
    assert again.returncode == 0 and "Password" not in again.stdout


def test_a_forced_password_change_comes_before_anything_else():
    """Until the printed password is changed, every page leads to the password page, and
    the API refuses the session (only signing out and public pages stay open)."""
    admin = make_user("root", profile="superuser", must_change_password=True)
    client = client_for(admin)
    password_url = reverse("account-password")
    checked = 0
    for route, name in _routes(get_resolver().url_patterns):
        url = "/" + route
        if "<" in route or url.startswith("/api/") or name in PUBLIC_PAGES | {
                "account-password"}:
            continue
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == password_url, url
        checked += 1
    assert checked >= 3
    response = client.get("/api/v1/users")
    assert response.status_code in (401, 403), response.content[:200]


PUBLIC_PAGES = {"signin", "signout", "healthz", "set_language"}


def _manage_urls() -> list[str]:
    """Administration pages without parameters (they appear as the portal grows)."""
    urls = []
    for route, name in _routes(get_resolver().url_patterns):
        if route.startswith("manage/") and "<" not in route and name:
            urls.append("/" + route)
    return sorted(urls)


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route, pattern.name


# -- CSRF ------------------------------------------------------------------------------------
def test_csrf_is_enforced_on_the_sign_in_form():
    make_user("alice")
    client = Client(enforce_csrf_checks=True)
    response = client.post(SIGNIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert not signed_in(client)

    page = client.get(SIGNIN)
    token = page.context["csrf_token"]
    response = client.post(SIGNIN, {"username": "alice", "password": PASSWORD,
                                    "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert signed_in(client)


def test_csrf_is_enforced_on_a_signed_in_form():
    user = make_user("alice")
    client = client_for(user, enforce_csrf_checks=True)
    new = "the quick brown fox sleeps"
    response = client.post(reverse("account-password"),
                           {"current": PASSWORD, "new": new, "confirm": new})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_out_needs_a_post():
    client = client_for(make_user("alice"))
    assert client.get(reverse("signout")).status_code == 405
    assert signed_in(client)
    assert client.post(reverse("signout")).status_code == 302
    assert not signed_in(client)


# -- headers and cookies ---------------------------------------------------------------------
def _pages(client: Client):
    yield "sign-in", client.get(SIGNIN)
    client.force_login(make_user("alice"))
    yield "home", client.get("/")
    yield "account", client.get(reverse("account"))
    yield "not found", client.get("/no/such/page/")
    SiteSettings.objects.update_or_create(pk=1, defaults={"admin_networks": "10.0.0.0/8"})
    yield "forbidden", client.get("/manage/", REMOTE_ADDR="192.0.2.1")
    yield "health", client.get(reverse("healthz"))
    yield "API", client.get("/api/v1/users")
    yield "API error", Client().get("/api/v1/users")


def test_security_headers_on_every_kind_of_response():
    for label, response in _pages(Client()):
        csp = response.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp, label
        assert "frame-ancestors 'none'" in csp, label
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, label
        assert response.get("X-Frame-Options") == "DENY", label
        assert response.get("X-Content-Type-Options") == "nosniff", label
        assert response.get("Referrer-Policy") == "same-origin", label


def test_session_cookie_is_http_only_and_same_site():
    make_user("alice")
    client = Client()
    response = sign_in(client, "alice", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"].lower() in {"lax", "strict"}


def test_sign_in_changes_the_session_key():
    """No session fixation: the key a visitor had before signing in is not kept."""
    make_user("alice")
    client = Client()
    client.get(SIGNIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, "alice", PASSWORD)
    assert client.session.session_key != before


# -- idle sessions ---------------------------------------------------------------------------
def _setting_in_a_fresh_process(name: str, **env: str) -> str:
    """A value of the production settings, read in a new interpreter with ``env``."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CENTREX_SESSION")}
    full_env.update(env, CENTREX_VAR_DIR=str(settings.VAR_DIR))
    code = f"import centrex.settings.base as s; print(s.{name})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full_env, check=True, timeout=60)
    return proc.stdout.strip()


def test_idle_time_is_ten_minutes_by_default_and_configurable():
    assert production.SESSION_SAVE_EVERY_REQUEST is True
    assert _setting_in_a_fresh_process("SESSION_COOKIE_AGE") == "600"
    configured = _setting_in_a_fresh_process("SESSION_COOKIE_AGE",
                                             CENTREX_SESSION_IDLE_SECONDS="120")
    assert configured == "120"


def test_each_request_extends_the_session_by_the_idle_time():
    make_user("alice")
    client = Client()
    response = sign_in(client, "alice", PASSWORD)
    idle = settings.SESSION_COOKIE_AGE
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == idle
    assert client.session.get_expiry_age() == idle

    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(seconds=5))
    response = client.get(reverse("account"))
    assert response.status_code == 200
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == idle
    renewed = Session.objects.get(session_key=client.session.session_key).expire_date
    assert renewed > timezone.now() + timedelta(seconds=idle - 60)


def test_an_idle_session_ends_and_sends_back_to_sign_in():
    make_user("alice")
    client = Client()
    sign_in(client, "alice", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin") + "?next=")


def test_signing_out_ends_the_session_on_the_server():
    make_user("alice")
    client = Client()
    sign_in(client, "alice", PASSWORD)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("signout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert is_signin_redirect(replay.get(reverse("account")))


def test_a_password_change_ends_the_other_sessions():
    user = make_user("alice")
    here, elsewhere = Client(), Client()
    sign_in(here, "alice", PASSWORD)
    sign_in(elsewhere, "alice", PASSWORD, address="192.0.2.2")
    new = "the quick brown fox sleeps"
    here.post(reverse("account-password"), {"current": PASSWORD, "new": new, "confirm": new})
    assert here.get(reverse("account")).status_code == 200
    assert is_signin_redirect(elsewhere.get(reverse("account")))

    # An administrator giving a new password ends the user's sessions too.
    sign_in(elsewhere, "alice", new, address="192.0.2.2")
    admin = client_for(make_user("root", profile="admin"))
    response = admin.post(reverse("user-password", args=[user.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"], "a page showing a secret is never cached"
    assert is_signin_redirect(elsewhere.get(reverse("account")))


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in():
    user = make_user("alice")
    client = Client()
    sign_in(client, "alice", PASSWORD)
    user.is_active = False
    user.save()
    assert is_signin_redirect(client.get(reverse("account")))
    assert sign_in(Client(), "alice", PASSWORD).status_code == 200


def is_signin_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("signin"))


# -- console restriction -----------------------------------------------------------------------
def _restrict(networks: str) -> None:
    SiteSettings.objects.update_or_create(pk=1, defaults={"admin_networks": networks})


@pytest.mark.parametrize("networks,outside,inside", [
    ("10.0.0.0/8\n192.168.1.0/24", "192.0.2.10", "192.168.1.20"),
    ("2001:db8::/32", "2001:db9::1", "2001:db8::42"),
])
def test_console_restriction(networks, outside, inside):
    admin = make_user("root", profile="superuser")
    client = client_for(admin)
    urls = _manage_urls() or ["/manage/"]
    _restrict(networks)
    for url in urls:
        response = client.get(url, REMOTE_ADDR=outside)
        assert response.status_code == 403, url
    assert client.get(reverse("account"), REMOTE_ADDR=outside).status_code == 200
    assert client.get("/", REMOTE_ADDR=outside).status_code == 200
    for url in urls:
        response = client.get(url, REMOTE_ADDR=inside)
        assert response.status_code != 403, url
        if url != "/manage/":
            assert response.status_code == 200, url

    _restrict("")
    for url in urls:
        assert client.get(url, REMOTE_ADDR=outside).status_code != 403, url


def test_console_restriction_refuses_an_unparsable_address():
    client = client_for(make_user("root", profile="superuser"))
    _restrict("10.0.0.0/8")
    assert client.get("/manage/", REMOTE_ADDR="").status_code == 403


# -- the API and sessions ----------------------------------------------------------------------
def test_api_session_writes_need_the_csrf_token():
    """The portal's own pages call the API with the session cookie: CSRF applies."""
    client = client_for(make_user("root", profile="admin"), enforce_csrf_checks=True)
    url = "/api/v1/departments"
    response = client.post(url, {"name": "Csrfqx"}, content_type="application/json")
    assert response.status_code == 403
    assert not Department.objects.filter(name="Csrfqx").exists()
    client.get(reverse("account"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(url, {"name": "Csrfqx"}, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    # A bearer token is no cookie a browser sends by itself: no CSRF token needed.
    bot = make_user("bot", profile="admin")
    api = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {api_token(bot)}"})
    assert api.post(url, {"name": "Botqx"}, content_type="application/json").status_code == 201


# -- open redirects ----------------------------------------------------------------------------
@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "http:evil.example",
    "https://testserver.evil.example/", "javascript:alert(1)",
])
def test_sign_in_never_redirects_off_site(target):
    make_user("alice")
    response = sign_in(Client(), "alice", PASSWORD, next_url=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_sign_in_follows_a_local_next():
    make_user("alice")
    response = sign_in(Client(), "alice", PASSWORD, next_url=reverse("account"))
    assert response["Location"] == reverse("account")


def test_language_switch_never_redirects_off_site():
    response = Client().post(reverse("set_language"),
                             {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


# -- the voicemail PIN is not the password -----------------------------------------------------
def test_a_pin_can_never_be_a_password_nor_a_password_a_pin():
    for pin in ("1234", "12345678", generate_pin()):
        validate_pin(pin)
        with pytest.raises(ValidationError):
            password_validation.validate_password(pin, User(username="alice"))
    for password in (PASSWORD, "123456789012"):
        with pytest.raises(ValidationError):
            validate_pin(password)
        assert not PinChangeForm({"pin": password}).is_valid()


def test_a_new_phone_has_its_own_pin_unrelated_to_the_password():
    user = make_user("alice")
    phone = make_phone("201", user=user)
    assert re.fullmatch(r"[0-9]{4,8}", phone.voicemail_pin)
    assert not user.check_password(phone.voicemail_pin)
    assert phone.voicemail_pin not in user.password

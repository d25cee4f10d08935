"""The portal in a real browser: the administrator signs in, creates a user with a phone,
finds them in the list; a SIP phone (SIPp) registers with the credentials the page showed,
and the phone's page shows it registered.

The portal runs as it does in production — uvicorn serving the ASGI application, in its
own process — on the test database and the test session's Asterisk. The browser is
Debian's chromium driven by Playwright, headless. Screenshots at laptop and phone widths
are kept in ``CENTREX_SCREENSHOTS`` (default /tmp/centrex-screenshots) to look at.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from centrex.core.models import User
from tests.sipp import free_udp_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SCREENSHOTS = Path(os.environ.get("CENTREX_SCREENSHOTS",
                                  Path(tempfile.gettempdir()) / "centrex-screenshots"))
LAPTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
ADMIN_PASSWORD = "a long admin passphrase"
@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database
    # queries are plain synchronous ones all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                     headless=True)
        yield chromium
        chromium.close()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_admin_creates_a_user_with_a_phone_that_registers(portal, browser, request):
    sipp = request.getfixturevalue("sip")  # SIPp phones (tests/conftest.py)
    admin = User.objects.create_user("admin", password=ADMIN_PASSWORD, first_name="Ada",
                                     last_name="Admin")
    admin.groups.add(Group.objects.get(name="admin"))

    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)

    # Sign in.
    page.goto(f"{portal}/manage/users/")
    assert "/signin/" in page.url
    page.fill("#id_username", "admin")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{portal}/manage/users/")

    # Create a user with a phone through the form.
    page.click("a.button:has-text('New user')")
    page.wait_for_url(f"{portal}/manage/users/new/")
    page.fill("#id_username", "claire.dubois")
    page.fill("#id_first_name", "Claire")
    page.fill("#id_last_name", "Dubois")
    page.fill("#id_email", "claire@example.com")
    page.check("input[name=profiles][value=stats]")
    page.fill("#id_extension", "2301")
    shoot(page, "laptop-user-form")
    page.click("button[type=submit].primary")
    page.wait_for_selector("dd[data-key=sip_password]")
    shoot(page, "laptop-credentials")
    sip_user = page.inner_text("dd[data-key=sip_username]").strip()
    sip_password = page.inner_text("dd[data-key=sip_password]").strip()
    assert page.inner_text("dd[data-key=extension]").strip() == "2301"
    assert sip_user.startswith("u") and len(sip_password) >= 20

    # The user is in the list.
    page.click("nav a[href='/manage/users/']")
    page.wait_for_url(f"{portal}/manage/users/")
    row = page.locator("table.list tbody tr", has_text="claire.dubois")
    assert row.count() == 1
    assert "2301" in row.inner_text()
    shoot(page, "laptop-user-list")

    # A phone registers with the credentials shown, and the phone's page says so.
    port = free_udp_port()
    sipp.register(sip_user, sip_password, local_port=port).assert_ok("REGISTER from the page")
    page.goto(f"{portal}/manage/phones/")
    page.click("table.list a:has-text('2301')")
    page.wait_for_selector("#registration-state")
    assert "ok" in (page.get_attribute("#registration-state", "class") or "")
    assert page.inner_text("#sip-username").strip() == sip_user
    assert f"127.0.0.1:{port}" in page.inner_text("table.contacts")
    assert "centrex-tests-sipp" in page.inner_text("table.contacts")
    assert sip_password not in page.content()  # shown once, never again
    shoot(page, "laptop-phone")

    # The same pages on a phone screen: the menu folds, tables become cards.
    mobile = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True,
                                 has_touch=True, storage_state=context.storage_state())
    small = mobile.new_page()
    small.goto(page.url)
    small.wait_for_selector("#registration-state")
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(small, "phone-phone")
    small.goto(f"{portal}/manage/users/")
    assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(small, "phone-user-list")
    small.click("label.nav-toggle-label")
    shoot(small, "phone-menu")
    mobile.close()
    context.close()

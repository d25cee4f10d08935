"""The statistics pages in a real browser: the charts are drawn (Chart.js, loaded as a
static file under the portal's Content-Security-Policy) above their tables."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from centrex.core.models import User
from centrex.reports import rollup
from centrex.reports.calls import local_day_hour
from centrex.reports.models import Call
from tests.e2e.test_browser import ADMIN_PASSWORD, LAPTOP, browser, shoot  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_global_statistics_draw_their_charts(portal, browser):  # noqa: F811
    admin = User.objects.create_user("admin", password=ADMIN_PASSWORD)
    admin.groups.add(Group.objects.get(name="admin"))
    now = timezone.now()
    for i in range(5):
        start = now - datetime.timedelta(hours=i)
        day, hour = local_day_hour(start)
        Call.objects.create(linkedid=f"b{i}", uniqueid=f"b{i}", start=start, day=day,
                            hour=hour, direction="in", state="answered", source="0611",
                            destination="0140", duration=30 * i)
    rollup.rebuild()  # the per-day totals the page reads, as ingestion keeps them

    context = browser.new_context(viewport=LAPTOP, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    page.goto(f"{portal}/statistics/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{portal}/statistics/")
    page.wait_for_selector("canvas[data-chart='calls-per-month'][data-drawn='1']")
    assert page.locator("canvas[data-drawn='1']").count() == 4
    assert "Appels par mois" in page.content()
    shoot(page, "laptop-global-statistics")
    assert not errors, errors

"""The navigation shows only what the user's profile may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    label: str
    url_name: str
    permission: str | None = None


MENU = [
    Item(_("Home"), "home"),
    Item(_("My account"), "account"),
    Item(_("Directory"), "directory"),
    Item(_("Forwards"), "forwards"),
    Item(_("Voicemail"), "voicemail"),
    Item(_("Call log"), "call-log"),
    Item(_("Billing"), "billing"),
    Item(_("Users"), "user-list", "core.view_user"),
    Item(_("Departments"), "department-list", "core.view_department"),
    Item(_("Phones"), "phone-list", "telephony.view_phone"),
    Item(_("Ring groups"), "ringgroup-list", "groups.view_ringgroup"),
    Item(_("Pickup groups"), "pickupgroup-list", "telephony.view_pickupgroup"),
    Item(_("Paging groups"), "paginggroup-list", "groups.view_paginggroup"),
    Item(_("Short numbers"), "speeddial-list", "groups.view_speeddial"),
    Item(_("Codes to dial"), "group-codes"),
    Item(_("Free seating"), "hotdesk-list"),
    Item(_("Conference rooms"), "conference-list"),
    Item(_("Parked calls"), "parking"),
    Item(_("Trunks"), "trunk-list", "routing.view_trunk"),
    Item(_("Outbound routes"), "route-list", "routing.view_route"),
    Item(_("Inbound numbers"), "did-list", "routing.view_inboundnumber"),
    Item(_("Call rights"), "rights-settings", "rights.view_rightssettings"),
    Item(_("Queues"), "queue-list", "contact_center.view_queue"),
    Item(_("Pause reasons"), "pausereason-list", "contact_center.view_pausereason"),
    Item(_("My queues"), "agent-queues", "contact_center.work"),
    Item(_("Supervision"), "supervision", "contact_center.supervise"),
    Item(_("Recordings"), "recording-list", "contact_center.view_recording"),
    Item(_("Queue statistics"), "queue-statistics", "reports.view_queue_statistics"),
    Item(_("Statistics"), "global-statistics", "core.view_global_stats"),
    Item(_("Rate plans"), "rateplan-list", "reports.view_rateplan"),
    Item(_("Applications"), "application-list", "ivr.view_application"),
    Item(_("Sounds"), "sound-list", "ivr.view_sound"),
    Item(_("Music on hold"), "musicclass-list", "ivr.view_musicclass"),
    Item(_("Opening hours"), "schedule-list", "ivr.view_schedule"),
    Item(_("Holidays"), "holiday-list", "ivr.view_holiday"),
    Item(_("Incidents"), "incident-list", "core.switch_incidents"),
    Item(_("Web services"), "webservice-list", "ivr.view_webservice"),
    Item(_("Journal"), "journal", "core.view_audit"),
    Item(_("Settings"), "site-settings", "core.administer"),
    Item(_("E-mail"), "email-settings", "voicemail.change_emailsettings"),
]


def context(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    items = []
    for item in MENU:
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a page of a later issue
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": item.label, "url": url, "active": active})
    return {"menu": items}

"""Pages of the reports: the call log (seeds/002 "Journal des appels") and the report
settings. Scope and filters: centrex/reports/calllog.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.contact_center.recording_views import visible as visible_recordings
from centrex.core.views import form_page
from centrex.reports import calllog
from centrex.reports.forms import CallFilterForm, ReportSettingsForm
from centrex.reports.models import Call
from centrex.web.access import requires
from centrex.web.lists import Column, render_list


def _party(name: str, number: str) -> str:
    return f"{name} ({number})" if name and name != number else number


def _recording(call: Call) -> str:
    pk = getattr(call, "recording_pk", None)
    if pk is None:
        return ""
    audio = reverse("recording-audio", args=[pk])
    return format_html('<audio controls preload="none" src="{}"></audio>', audio)


def columns(mask, recordings: bool) -> list[Column]:
    """The call log's columns; outside numbers through ``mask`` (page and exports alike)."""
    shown = [
        Column(gettext_lazy("Date / time"), lambda c: timezone.localtime(c.start).strftime(
            "%Y-%m-%d %H:%M:%S"), sort="start", css="nowrap"),
        Column(gettext_lazy("Type"), "get_direction_display", sort="direction"),
        Column(gettext_lazy("Source"),
               lambda c: _party(c.source_name, calllog.parties(c, mask)[0]), sort="source"),
        Column(gettext_lazy("Destination"), lambda c: calllog.parties(c, mask)[1],
               sort="destination"),
        Column(gettext_lazy("Answered by"), lambda c: calllog.parties(c, mask)[2]),
        Column(gettext_lazy("State"), "get_state_display", sort="state"),
        Column(gettext_lazy("Duration"), lambda c: calllog.duration_text(c.duration),
               sort="duration", css="number"),
        Column(gettext_lazy("Queue"), "queue", sort="queue"),
    ]
    if recordings:
        shown.append(Column(gettext_lazy("Recording"), _recording))
    return shown


@requires()
def call_log(request: HttpRequest) -> HttpResponseBase:
    """Own calls; the department's for a department head; all for ``admin``/``appels``."""
    recordings = visible_recordings(request.user)

    def prepare(page: list[Call]) -> None:
        found = dict(recordings.filter(uniqueid__in=[c.uniqueid for c in page]).values_list(
            "uniqueid", "pk"))
        for call in page:
            call.recording_pk = found.get(call.uniqueid)

    may_listen = request.user.has_perm("contact_center.view_recording")
    return render_list(
        request, "reports/call_log.html", calllog.visible(request.user),
        columns(calllog.masker(), may_listen), default_sort="-start",
        filters=CallFilterForm(request.GET), export_name="calls", prepare=prepare,
        context={"title": _("Call log"), "actions": [], "may_set": request.user.has_perm(
            "reports.change_reportsettings")})


@requires("reports.change_reportsettings")
def settings_page(request: HttpRequest) -> HttpResponse:
    form = ReportSettingsForm(request.POST or None, instance=ReportSettingsForm.Meta.model.get())

    def save(valid) -> HttpResponse:
        valid.save()
        messages.success(request, _("The report settings have been saved."))
        return redirect("report-settings")

    return form_page(request, form, title=_("Report settings"), save=save,
                     cancel=reverse("call-log"))

"""Pages of the calendars (seeds/002 "Jours fériés", "Incidents"; seeds/003 office hours):
opening hours, exceptional closures, holidays, and the incidents the ``inc`` profile
switches. Every change goes through ``centrex.ivr.calendars``."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from centrex.core.views import allowed, confirm_page, delete_page, form_page
from centrex.ivr import calendars
from centrex.ivr.calendar_confgen import INCIDENT_CODE
from centrex.ivr.calendar_forms import ClosureForm, HolidayForm, IncidentForm, ScheduleForm
from centrex.ivr.calendar_forms import slots_text as _slots_text
from centrex.ivr.models import Closure, Holiday, Incident, Schedule
from centrex.ivr.models.calendars import WEEKDAYS
from centrex.web.access import public, requires
from centrex.web.lists import Column, render_list

STATES = {"open": gettext_lazy("open"), "closed": gettext_lazy("closed"),
          "holiday": gettext_lazy("holiday"), "closure": gettext_lazy("exceptional closure")}


def _links(request: HttpRequest, obj: Model, name: str) -> str:
    """Edit · Delete for those who may."""
    parts = []
    if request.user.has_perm(f"ivr.change_{name}"):
        parts.append(format_html('<a href="{}">{}</a>', reverse(f"{name}-edit", args=[obj.pk]),
                                 _("Edit")))
    if request.user.has_perm(f"ivr.delete_{name}"):
        parts.append(format_html('<a href="{}">{}</a>',
                                 reverse(f"{name}-delete", args=[obj.pk]), _("Delete")))
    return format_html(" · ".join(["{}"] * len(parts)), *parts) if parts else ""


def _edit_page(request: HttpRequest, form_class, obj: Model | None, name: str,
               saver: Callable, title_new: str) -> HttpResponse:
    """The create/edit page of a calendar object; ``saver(form)`` applies it."""
    form = form_class(request.POST or None, instance=obj)
    title = _("Edit %(name)s") % {"name": obj} if obj else title_new

    def save(valid) -> HttpResponse:
        saver(valid)
        messages.success(request, _("“%(name)s” has been saved.") % {"name": valid.instance})
        return redirect(f"{name}-list")

    return form_page(request, form, title=title, save=save, cancel=reverse(f"{name}-list"))


def _delete_page(request: HttpRequest, obj: Model, name: str) -> HttpResponse:
    return delete_page(request, obj, delete=calendars.delete, back=reverse(f"{name}-list"))


def _calendar_actions(request: HttpRequest, new: tuple) -> list:
    return allowed(request, [
        new,
        ("ivr.view_schedule", _("Opening hours"), reverse("schedule-list"), "secondary"),
        ("ivr.view_closure", _("Exceptional closures"), reverse("closure-list"), "secondary"),
        ("ivr.view_holiday", _("Holidays"), reverse("holiday-list"), "secondary"),
    ])


# -- opening hours ---------------------------------------------------------------------------
def _week(schedule: Schedule) -> str:
    days = dict(WEEKDAYS)
    slots = list(schedule.slots.all())
    text = "; ".join(f"{days[d]} {_slots_text(s for s in slots if s.weekday == d)}"
                     for d in sorted({s.weekday for s in slots}))
    return text or _("always closed")


@requires("ivr.view_schedule")
def schedule_list(request: HttpRequest) -> HttpResponseBase:
    columns = [
        Column(gettext_lazy("Name"), "name", sort="name"),
        Column(gettext_lazy("Department"), "department", sort="department__name"),
        Column(gettext_lazy("Week"), _week),
        Column(gettext_lazy("Closed on holidays"), "closed_on_holidays"),
        Column(gettext_lazy("Now"), lambda s: STATES[calendars.state(s)]),
        Column(gettext_lazy("Comments"), "comment"),
        Column("", lambda s: _links(request, s, "schedule")),
    ]
    return render_list(
        request, "ivr/calendar_list.html",
        Schedule.objects.select_related("department").prefetch_related("slots"), columns,
        search=["name", "comment", "department__name"], default_sort="name",
        context={"title": _("Opening hours"), "help": _(
            "The applications test opening hours to answer differently when closed, on a "
            "holiday or during an exceptional closure."), "actions": _calendar_actions(
            request, ("ivr.add_schedule", _("New opening hours"), reverse("schedule-add"),
                      ""))})


def _save_schedule(form: ScheduleForm) -> None:
    calendars.save_schedule(form.instance, form.slots, replace_slots=True)


@requires("ivr.add_schedule")
def schedule_add(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, ScheduleForm, None, "schedule", _save_schedule,
                      _("New opening hours"))


@requires("ivr.change_schedule")
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_page(request, ScheduleForm, get_object_or_404(Schedule, pk=pk), "schedule",
                      _save_schedule, "")


@requires("ivr.delete_schedule")
def schedule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete_page(request, get_object_or_404(Schedule, pk=pk), "schedule")


# -- exceptional closures -------------------------------------------------------------------
@requires("ivr.view_closure")
def closure_list(request: HttpRequest) -> HttpResponseBase:
    columns = [
        Column(gettext_lazy("Reason"), "reason", sort="reason"),
        Column(gettext_lazy("From"), lambda c: date_format(timezone.localtime(c.start),
                                                           "SHORT_DATETIME_FORMAT"),
               sort="start"),
        Column(gettext_lazy("To"), lambda c: date_format(timezone.localtime(c.end),
                                                         "SHORT_DATETIME_FORMAT"), sort="end"),
        Column(gettext_lazy("Opening hours"),
               lambda c: c.schedule.name if c.schedule else _("all")),
        Column("", lambda c: _links(request, c, "closure")),
    ]
    return render_list(
        request, "ivr/calendar_list.html", Closure.objects.select_related("schedule"), columns,
        search=["reason"], default_sort="-start",
        context={"title": _("Exceptional closures"), "actions": _calendar_actions(
            request, ("ivr.add_closure", _("New closure"), reverse("closure-add"), ""))})


@requires("ivr.add_closure")
def closure_add(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, ClosureForm, None, "closure",
                      lambda f: calendars.save(f.instance), _("New closure"))


@requires("ivr.change_closure")
def closure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_page(request, ClosureForm, get_object_or_404(Closure, pk=pk), "closure",
                      lambda f: calendars.save(f.instance), "")


@requires("ivr.delete_closure")
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete_page(request, get_object_or_404(Closure, pk=pk), "closure")


# -- holidays -------------------------------------------------------------------------------
@requires("ivr.view_holiday")
def holiday_list(request: HttpRequest) -> HttpResponseBase:
    columns = [
        Column(gettext_lazy("Date"), lambda h: date_format(h.date, "j F") if h.yearly
               else date_format(h.date, "DATE_FORMAT"), sort="date"),
        Column(gettext_lazy("Name"), "name", sort="name"),
        Column(gettext_lazy("Every year"), "yearly", sort="yearly"),
        Column("", lambda h: _links(request, h, "holiday")),
    ]
    actions = _calendar_actions(
        request, ("ivr.add_holiday", _("New holiday"), reverse("holiday-add"), ""))
    actions[1:1] = allowed(request, [("ivr.add_holiday", _("Add the French public holidays"),
                                      reverse("holiday-french"), "secondary")])
    return render_list(
        request, "ivr/calendar_list.html", Holiday.objects.all(), columns, search=["name"],
        default_sort="date", context={"title": _("Holidays"), "actions": actions})


@requires("ivr.add_holiday")
def holiday_add(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, HolidayForm, None, "holiday",
                      lambda f: calendars.save(f.instance), _("New holiday"))


@requires("ivr.change_holiday")
def holiday_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_page(request, HolidayForm, get_object_or_404(Holiday, pk=pk), "holiday",
                      lambda f: calendars.save(f.instance), "")


@requires("ivr.delete_holiday")
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete_page(request, get_object_or_404(Holiday, pk=pk), "holiday")


@requires("ivr.add_holiday")
def holiday_french(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year

    def add(_form) -> HttpResponse:
        added = calendars.add_french_holidays((year, year + 1))
        messages.success(request, _("%(count)s holidays added.") % {"count": len(added)})
        return redirect("holiday-list")

    return confirm_page(
        request, title=_("Add the French public holidays"), danger=False,
        question=_("Add the French public holidays of %(year)s and %(next)s (Easter Monday, "
                   "Ascension and Whit Monday included) that are not in the list yet?")
        % {"year": year, "next": year + 1},
        button=_("Add"), cancel=reverse("holiday-list"), action=add)


# -- incidents ------------------------------------------------------------------------------
def _switch_button(request: HttpRequest, incident: Incident) -> str:
    label = _("Switch off") if incident.active else _("Switch on")
    return format_html('<a class="button{}" href="{}">{}</a>',
                       " danger" if not incident.active else "",
                       reverse("incident-switch", args=[incident.pk]), label)


@requires(calendars.SWITCH_PERMISSION)
def incident_list(request: HttpRequest) -> HttpResponseBase:
    columns = [
        Column(gettext_lazy("Number"), "number", sort="number", css="number"),
        Column(gettext_lazy("Code"), "code", sort="code"),
        Column(gettext_lazy("Name"), "name", sort="name"),
        Column(gettext_lazy("In progress"), "active", sort="active"),
        Column(gettext_lazy("Changed"), lambda i: format_html(
            "{} {}", date_format(timezone.localtime(i.changed_at), "SHORT_DATETIME_FORMAT"),
            i.changed_by or "") if i.changed_at else "—", sort="changed_at"),
        Column("", lambda i: _switch_button(request, i)),
        Column("", lambda i: _links(request, i, "incident")),
    ]
    return render_list(
        request, "ivr/calendar_list.html", Incident.objects.select_related("changed_by"), columns,
        search=["code", "name"], default_sort="number",
        context={"title": _("Incidents"), "help": _(
            "On a phone: %(code)s then the incident's number, then your voicemail PIN.")
            % {"code": INCIDENT_CODE}, "actions": allowed(request, [
                ("ivr.add_incident", _("New incident"), reverse("incident-add"), "")])})


@requires(calendars.SWITCH_PERMISSION)
def incident_switch(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk)
    on = not incident.active

    def switch(_form) -> HttpResponse:
        calendars.switch_incident(incident, on, request.user)
        messages.success(request, (_("“%(name)s” is in progress.") if on
                                   else _("“%(name)s” is over.")) % {"name": incident})
        return redirect("incident-list")

    question = (_("Switch “%(name)s” on? The applications that test it take the incident's "
                  "way from the next call.") if on else
                _("Switch “%(name)s” off? The applications go back to their usual way."))
    return confirm_page(request, title=_("Switch on") if on else _("Switch off"),
                        question=question % {"name": incident},
                        button=_("Switch on") if on else _("Switch off"),
                        cancel=reverse("incident-list"), action=switch, danger=on)


@requires("ivr.add_incident")
def incident_add(request: HttpRequest) -> HttpResponse:
    return _edit_page(request, IncidentForm, None, "incident",
                      lambda f: calendars.save_incident(f.instance), _("New incident"))


@requires("ivr.change_incident")
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_page(request, IncidentForm, get_object_or_404(Incident, pk=pk), "incident",
                      lambda f: calendars.save_incident(f.instance), "")


@requires("ivr.delete_incident")
def incident_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete_page(request, get_object_or_404(Incident, pk=pk), "incident")


@public
@csrf_exempt
@require_POST
def incident_code(request: HttpRequest) -> HttpResponse:
    """Called by Asterisk when a phone dials the incident code: the body names the channel
    only; the request, the phone and the PIN are read from that live channel (AMI)."""
    return HttpResponse(calendars.from_phone(request.POST.get("channel", "")),
                        content_type="text/plain")

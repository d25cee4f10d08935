"""Pages of hot desking (who sits where, log out), conference rooms and parked calls.

Changes go through ``centrex.features.services``, which applies them to Asterisk in the
same transaction."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from centrex.core.views import allowed, confirm_page, form_page
from centrex.features import parking as parking_lot
from centrex.features import services
from centrex.features.confgen import HELP_CODES
from centrex.features.forms import ConferenceRoomForm
from centrex.features.models import ConferenceRoom, HotdeskLogin
from centrex.web.access import public, requires
from centrex.web.lists import Column, render_list


# -- hot desking -----------------------------------------------------------------------------
def _logout_cell(user):
    def cell(seat: HotdeskLogin):
        if not services.may_logout(user, seat):
            return ""
        return format_html('<a href="{}">{}</a>', reverse("hotdesk-logout", args=[seat.pk]),
                           _("Log out"))
    return cell


@requires()
def hotdesk_list(request: HttpRequest) -> HttpResponseBase:
    """Administrators: who is logged in at which free-seating phone (in their scope);
    everybody else: their own login, if any."""
    columns = [
        Column(gettext_lazy("Free-seating phone"), lambda s: str(s.desk),
               sort="desk__extension"),
        Column(gettext_lazy("Extension logged in"), "line.extension", sort="line__extension"),
        Column(gettext_lazy("User"), lambda s: s.line.user.display_name if s.line.user else "",
               sort="line__user__last_name"),
        Column(gettext_lazy("Since"), "since", sort="since"),
        Column("", _logout_cell(request.user)),
    ]
    return render_list(
        request, "features/hotdesk_list.html", services.logins_visible(request.user), columns,
        search=["desk__extension", "desk__name", "line__extension", "line__name"],
        default_sort="desk__extension",
        context={"title": _("Free seating"), "codes": HELP_CODES[:3]})


@requires()
def hotdesk_logout(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_object_or_404(services.logins_visible(request.user), pk=pk)
    if not services.may_logout(request.user, seat):
        raise Http404

    def do(_form: None) -> HttpResponse:
        services.logout(seat)
        messages.success(request, _("%(extension)s has been logged out.") % {
            "extension": seat.line.extension})
        return redirect("hotdesk-list")

    return confirm_page(
        request, title=_("Log out"),
        question=_("Log %(extension)s out of the free-seating phone %(desk)s? Its calls ring "
                   "its own phone again.") % {"extension": seat.line.extension,
                                              "desk": seat.desk},
        button=_("Log out"), cancel=reverse("hotdesk-list"), action=do, danger=False)


@public
@csrf_exempt
@require_POST
def hotdesk_code(request: HttpRequest) -> HttpResponse:
    """Called by Asterisk when a free-seating phone dials the login or logout code: the
    body names the channel only; the request and the phone are read from that live channel
    through AMI, and the PIN is checked against the database."""
    answer = services.from_phone(request.POST.get("channel", ""))
    return HttpResponse(answer, content_type="text/plain")


# -- conference rooms ------------------------------------------------------------------------
def _room_actions(user):
    def cell(room: ConferenceRoom):
        if not user.has_perm("features.change_conferenceroom"):
            return ""
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse("conference-edit", args=[room.pk]), _("Edit"),
                           reverse("conference-delete", args=[room.pk]), _("Delete"))
    return cell


@requires()
def conference_list(request: HttpRequest) -> HttpResponseBase:
    """Every signed-in user sees the rooms (to dial them); administrators change them."""
    columns = [
        Column(gettext_lazy("Extension"), "extension", sort="extension"),
        Column(gettext_lazy("Name"), "name", sort="name"),
        Column(gettext_lazy("PIN"), lambda r: _("yes") if r.pin else _("no")),
        Column(gettext_lazy("Maximum members"), "max_members", sort="max_members"),
        Column("", _room_actions(request.user)),
    ]
    return render_list(
        request, "core/list.html", ConferenceRoom.objects.all(), columns,
        search=["extension", "name"], default_sort="extension",
        context={"title": _("Conference rooms"), "actions": allowed(request, [
            ("features.add_conferenceroom", _("New conference room"),
             reverse("conference-create"), ""),
        ])})


def _room_form(request: HttpRequest, room: ConferenceRoom | None) -> HttpResponse:
    def save(form: ConferenceRoomForm) -> HttpResponse:
        services.save_room(form.instance)
        messages.success(request, _("The conference room has been saved."))
        return redirect("conference-list")

    title = (_("Conference room %(extension)s") % {"extension": room.extension}
             if room else _("New conference room"))
    return form_page(request, ConferenceRoomForm(request.POST or None, instance=room),
                     title=title, save=save, cancel=reverse("conference-list"))


@requires("features.add_conferenceroom")
def conference_create(request: HttpRequest) -> HttpResponse:
    return _room_form(request, None)


@requires("features.change_conferenceroom")
def conference_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _room_form(request, get_object_or_404(ConferenceRoom, pk=pk))


@requires("features.delete_conferenceroom")
def conference_delete(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_object_or_404(ConferenceRoom, pk=pk)

    def delete(_form: None) -> HttpResponse:
        services.delete_room(room)
        messages.success(request, _("The conference room has been deleted."))
        return redirect("conference-list")

    return confirm_page(
        request, title=_("Delete conference room %(extension)s") % {
            "extension": room.extension},
        question=_("Delete the conference room %(room)s? Calls to %(extension)s will fail.")
        % {"room": room, "extension": room.extension},
        button=_("Delete"), cancel=reverse("conference-list"), action=delete)


# -- call parking ----------------------------------------------------------------------------
@requires()
def parking(request: HttpRequest) -> HttpResponse:
    """The calls parked now, read live from Asterisk."""
    error = ""
    try:
        calls = parking_lot.parked_calls()
    except Exception as exc:  # Asterisk unreachable: the page says so instead of failing
        calls, error = [], str(exc) or type(exc).__name__
    return render(request, "features/parking.html", {
        "calls": calls, "error": error, "extension": parking_lot.extension(),
        "slots": parking_lot.slots()})

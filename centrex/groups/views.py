"""Pages of ring groups, paging groups, short numbers and the 64 pickup groups, and the help
page of the codes phones dial. Every change goes through ``centrex.groups.services``, which
applies it to Asterisk in the same transaction (a refused change is not saved)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Model, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.core.views import allowed, confirm_page, form_page
from centrex.groups import services
from centrex.groups.confgen import DIRECTED_PICKUP_PREFIX, PICKUP_CODE
from centrex.groups.forms import PagingGroupForm, PickupGroupForm, RingGroupForm, SpeedDialForm
from centrex.groups.models import PagingGroup, RingGroup, RingGroupMember, SpeedDial
from centrex.telephony.models import Phone, PickupGroup
from centrex.web.access import requires
from centrex.web.lists import Column, render_list


def _extensions(phones) -> str:
    return ", ".join(p.extension for p in phones)


def _fallback(group: RingGroup) -> str:
    if group.fallback == RingGroup.HANGUP:
        return _("Hang up")
    if group.fallback == RingGroup.VOICEMAIL:
        return _("voicemail of %(number)s") % {"number": group.fallback_number}
    return group.fallback_number


def _delete_page(request: HttpRequest, obj: Model, list_url: str) -> HttpResponse:
    def delete(_form: None) -> HttpResponse:
        services.delete(obj)
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": obj})
        return redirect(list_url)

    return confirm_page(request, title=_("Delete %(name)s") % {"name": obj},
                        question=_("Delete “%(name)s”? Calls to its number will fail.")
                        % {"name": obj}, button=_("Delete"), cancel=list_url, action=delete)


def _edit_page(request: HttpRequest, form: object, title: str, list_url: str,
               save: Callable[[object], object]) -> HttpResponse:
    def done(valid) -> HttpResponse:
        save(valid)
        messages.success(request, _("“%(name)s” has been saved.") % {"name": valid.instance})
        return redirect(list_url)

    return form_page(request, form, title=title, save=done, cancel=list_url)


def _with_delete(request: HttpRequest, columns: list[Column], permission: str,
                 url_name: str) -> list[Column]:
    """The list's columns, and a Delete link for those who may delete."""
    if not request.user.has_perm(permission):
        return columns
    return [*columns, Column("", lambda obj: format_html(
        '<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), _("Delete")))]


# -- ring groups ----------------------------------------------------------------------------
RING_COLUMNS = [
    Column(gettext_lazy("Extension"), "extension", sort="extension", link=True),
    Column(gettext_lazy("Name"), "name", sort="name"),
    Column(gettext_lazy("Strategy"), lambda g: g.get_strategy_display(), sort="strategy"),
    Column(gettext_lazy("Members"), lambda g: _extensions(m.phone for m in g.memberships.all())),
    Column(gettext_lazy("Timeout (s)"), "timeout", css="number"),
    Column(gettext_lazy("When nobody answers"), _fallback),
]


@requires("groups.view_ringgroup")
def ringgroup_list(request: HttpRequest) -> HttpResponseBase:
    groups = RingGroup.objects.prefetch_related(
        Prefetch("memberships", queryset=RingGroupMember.objects.select_related("phone")
                 .order_by("position")))
    return render_list(
        request, "core/list.html", groups,
        _with_delete(request, RING_COLUMNS, "groups.delete_ringgroup", "ringgroup-delete"),
        search=["extension", "name"],
        default_sort="extension", context={"title": _("Ring groups"), "actions": allowed(
            request, [("groups.add_ringgroup", _("New ring group"),
                       reverse("ringgroup-create"), "")])})


def _ring_form(request: HttpRequest, group: RingGroup | None) -> HttpResponse:
    form = RingGroupForm(request.POST or None, instance=group)
    title = _("Edit %(name)s") % {"name": group} if group else _("New ring group")
    return _edit_page(request, form, title, reverse("ringgroup-list"), lambda f: (
        services.save_ring_group(f.instance, f.cleaned_data["members_text"])))


@requires("groups.add_ringgroup")
def ringgroup_create(request: HttpRequest) -> HttpResponse:
    return _ring_form(request, None)


@requires("groups.change_ringgroup")
def ringgroup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _ring_form(request, get_object_or_404(RingGroup, pk=pk))


@requires("groups.delete_ringgroup")
def ringgroup_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete_page(request, get_object_or_404(RingGroup, pk=pk), reverse("ringgroup-list"))


# -- paging groups --------------------------------------------------------------------------
PAGING_COLUMNS = [
    Column(gettext_lazy("Extension"), "extension", sort="extension", link=True),
    Column(gettext_lazy("Name"), "name", sort="name"),
    Column(gettext_lazy("Members"), lambda g: _extensions(g.members.all())),
]


@requires("groups.view_paginggroup")
def paginggroup_list(request: HttpRequest) -> HttpResponseBase:
    groups = PagingGroup.objects.prefetch_related(
        Prefetch("members", queryset=Phone.objects.order_by("extension")))
    return render_list(
        request, "core/list.html", groups,
        _with_delete(request, PAGING_COLUMNS, "groups.delete_paginggroup",
                     "paginggroup-delete"), search=["extension", "name"],
        default_sort="extension", context={"title": _("Paging groups"), "actions": allowed(
            request, [("groups.add_paginggroup", _("New paging group"),
                       reverse("paginggroup-create"), "")])})


def _paging_form(request: HttpRequest, group: PagingGroup | None) -> HttpResponse:
    form = PagingGroupForm(request.POST or None, instance=group)
    title = _("Edit %(name)s") % {"name": group} if group else _("New paging group")
    return _edit_page(request, form, title, reverse("paginggroup-list"), lambda f: (
        services.save_paging_group(f.instance, f.cleaned_data["members_text"])))


@requires("groups.add_paginggroup")
def paginggroup_create(request: HttpRequest) -> HttpResponse:
    return _paging_form(request, None)


@requires("groups.change_paginggroup")
def paginggroup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _paging_form(request, get_object_or_404(PagingGroup, pk=pk))


@requires("groups.delete_paginggroup")
def paginggroup_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete_page(request, get_object_or_404(PagingGroup, pk=pk),
                        reverse("paginggroup-list"))


# -- short numbers --------------------------------------------------------------------------
SPEED_COLUMNS = [
    Column(gettext_lazy("Short number"), "code", sort="code", link=True),
    Column(gettext_lazy("Name"), "name", sort="name"),
    Column(gettext_lazy("Number"), "number", sort="number"),
]


@requires("groups.view_speeddial")
def speeddial_list(request: HttpRequest) -> HttpResponseBase:
    return render_list(
        request, "core/list.html", SpeedDial.objects.all(),
        _with_delete(request, SPEED_COLUMNS, "groups.delete_speeddial", "speeddial-delete"),
        search=["code", "name", "number"], default_sort="code",
        context={"title": _("Short numbers"), "actions": allowed(request, [
            ("groups.add_speeddial", _("New short number"), reverse("speeddial-create"), "")])})


def _speed_form(request: HttpRequest, dial: SpeedDial | None) -> HttpResponse:
    form = SpeedDialForm(request.POST or None, instance=dial)
    title = _("Edit %(name)s") % {"name": dial} if dial else _("New short number")
    return _edit_page(request, form, title, reverse("speeddial-list"),
                      lambda f: services.save_speed_dial(f.instance))


@requires("groups.add_speeddial")
def speeddial_create(request: HttpRequest) -> HttpResponse:
    return _speed_form(request, None)


@requires("groups.change_speeddial")
def speeddial_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _speed_form(request, get_object_or_404(SpeedDial, pk=pk))


@requires("groups.delete_speeddial")
def speeddial_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete_page(request, get_object_or_404(SpeedDial, pk=pk), reverse("speeddial-list"))


# -- pickup groups (seeds/002 "Groupes d'interception") -------------------------------------
PICKUP_COLUMNS = [
    Column(gettext_lazy("Number"), lambda g: format_html(
        '<a href="{}">{}</a>', reverse("pickupgroup-edit", args=[g.pk]), g.number),
        sort="number", css="number"),
    Column(gettext_lazy("Name"), "name", sort="name"),
    Column(gettext_lazy("Description"), "description", sort="description"),
    Column(gettext_lazy("Calls"), lambda g: _extensions(g.calling_phones.all())),
    Column(gettext_lazy("Pickup"), lambda g: _extensions(g.picking_phones.all())),
]


@requires("telephony.view_pickupgroup")
def pickupgroup_list(request: HttpRequest) -> HttpResponseBase:
    PickupGroup.ensure_all()
    by_extension = Phone.objects.order_by("extension").only("extension")
    groups = PickupGroup.objects.prefetch_related(
        Prefetch("calling_phones", queryset=by_extension),
        Prefetch("picking_phones", queryset=by_extension))
    return render_list(
        request, "groups/pickup_list.html", groups, PICKUP_COLUMNS,
        search=["name", "description"], default_sort="number",
        context={"title": _("Pickup groups")})


@requires("telephony.change_pickupgroup")
def pickupgroup_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(PickupGroup, pk=pk)
    return _edit_page(request, PickupGroupForm(request.POST or None, instance=group),
                      _("Pickup group %(number)s") % {"number": group.number},
                      reverse("pickupgroup-list"),
                      lambda f: services.save_pickup_group(f.instance))


# -- what phones dial -----------------------------------------------------------------------
@requires()
def codes(request: HttpRequest) -> HttpResponse:
    """For everyone: the pickup codes, the short numbers and the paging groups."""
    return render(request, "groups/codes.html", {
        "pickup_codes": [
            (PICKUP_CODE, _("Pick up a call ringing on a phone of your pickup groups")),
            (f"{DIRECTED_PICKUP_PREFIX}<extension>",
             _("Pick up a call ringing on that extension (or that ring group)")),
        ],
        "speed_dials": SpeedDial.objects.order_by("code"),
        "paging_groups": PagingGroup.objects.order_by("extension"),
        "ring_groups": RingGroup.objects.order_by("extension"),
    })

"""Pages of the telephony app: the phones, their live registration state and their SIP
secret. Every change goes through ``centrex.telephony.services``, which applies it to
Asterisk in the same transaction (a refused change is not saved)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.core import roles
from centrex.core.models import User
from centrex.core.views import (
    allowed,
    confirm_page,
    form_page,
    recent_changes,
    secret_page,
    sip_items,
)
from centrex.telephony import services
from centrex.telephony.forms import PhoneForm
from centrex.telephony.models import Phone
from centrex.web.access import requires
from centrex.web.lists import Column, render_list


def state_label(reg: services.Registration | None) -> str:
    """A phone's registration state in a word or two."""
    if reg is None or reg.error:
        return _("unknown")
    if not reg.known:
        return _("not in Asterisk")
    return _("registered") if reg.registered else _("not registered")


def _first_contact(phone: Phone, attribute: str) -> str:
    reg = getattr(phone, "live", None)
    if reg is None or not reg.contacts:
        return ""
    return getattr(reg.contacts[0], attribute)


PHONE_COLUMNS = [
    Column(gettext_lazy("Extension"), "extension", sort="extension", link=True),
    Column(gettext_lazy("Caller name"), "name", sort="name"),
    Column(gettext_lazy("User"), "user.display_name", sort="user__last_name"),
    Column(gettext_lazy("Department"), "user.department.name",
           sort="user__department__name"),
    Column(gettext_lazy("State"), lambda p: state_label(getattr(p, "live", None))),
    Column(gettext_lazy("Address"), lambda p: _first_contact(p, "address")),
    Column(gettext_lazy("Model"), lambda p: _first_contact(p, "user_agent")),
]
PHONE_SEARCH = ["extension", "name", "sip_username", "user__username", "user__first_name",
                "user__last_name", "user__department__name"]


def phones(request: HttpRequest) -> QuerySet:
    return roles.phones_in_scope(request.user, Phone.objects.all()).select_related(
        "user__department")


def phone_of(request: HttpRequest, pk: int) -> Phone:
    return get_object_or_404(phones(request), pk=pk)


def _live(page: list[Phone]) -> dict:
    """Ask Asterisk once for the registration of the phones of this page."""
    found = services.registrations(page)
    for phone in page:
        phone.live = found.get(phone.sip_username)
    errors = {reg.error for reg in found.values() if reg.error}
    return {"live_error": next(iter(errors), "")}


@requires("telephony.view_phone")
def phone_list(request: HttpRequest) -> HttpResponseBase:
    return render_list(
        request, "telephony/phone_list.html", phones(request), PHONE_COLUMNS,
        search=PHONE_SEARCH, default_sort="extension", prepare=_live,
        context={"title": _("Phones"), "actions": allowed(request, [
            ("telephony.add_phone", _("New phone"), reverse("phone-create"), ""),
        ])})


@requires("telephony.view_phone")
def phone_detail(request: HttpRequest, pk: int) -> HttpResponse:
    phone = phone_of(request, pk)
    reg = services.registrations([phone])[phone.sip_username]
    return render(request, "telephony/phone_detail.html", {
        "phone": phone, "reg": reg, "state": state_label(reg),
        "sip_server": services.sip_server(), "changes": recent_changes(request, phone),
        "actions": allowed(request, [
            ("telephony.change_phone", _("Edit"), reverse("phone-edit", args=[pk]), ""),
            ("telephony.change_phone", _("Regenerate the SIP secret"),
             reverse("phone-secret", args=[pk]), "secondary"),
            ("telephony.delete_phone", _("Delete"), reverse("phone-delete", args=[pk]),
             "danger"),
        ]),
    })


def _owner(request: HttpRequest) -> User | None:
    """The user a new phone is for (``?user=<pk>`` from the user's page), within scope."""
    pk = request.GET.get("user", "")
    if not pk.isdigit():
        return None
    return roles.users_in_scope(request.user, User.objects.all()).filter(pk=pk).first()


@requires("telephony.add_phone")
def phone_create(request: HttpRequest) -> HttpResponse:
    owner = _owner(request)
    initial = {"user": owner, "name": owner.get_full_name() or owner.username} if owner else {}

    def save(form: PhoneForm) -> HttpResponse:
        password = services.create_phone(form.instance)
        return secret_page(request, title=_("Phone created"),
                           items=sip_items(form.instance, password),
                           links=[{"label": _("Go to the phone"),
                                   "url": form.instance.get_absolute_url()}])

    return form_page(request, PhoneForm(request.user, request.POST or None, initial=initial),
                     title=_("New phone"), save=save,
                     cancel=owner.get_absolute_url() if owner else reverse("phone-list"))


@requires("telephony.change_phone")
def phone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    phone = phone_of(request, pk)

    def save(form: PhoneForm) -> HttpResponse:
        services.update_phone(form.instance, pin=form.cleaned_data.get("new_pin"))
        messages.success(request, _("The phone has been saved."))
        return redirect(form.instance)

    return form_page(request, PhoneForm(request.user, request.POST or None, instance=phone),
                     title=_("Edit phone %(extension)s") % {"extension": phone.extension},
                     save=save, cancel=phone.get_absolute_url())


@requires("telephony.delete_phone")
def phone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phone = phone_of(request, pk)

    def delete(_form: None) -> HttpResponse:
        services.delete_phone(phone)
        messages.success(request, _("The phone has been deleted."))
        return redirect("phone-list")

    return confirm_page(
        request, title=_("Delete phone %(extension)s") % {"extension": phone.extension},
        question=_("Delete the phone %(phone)s? Calls to %(extension)s will fail, and its "
                   "voicemail box is removed.") % {"phone": phone, "extension": phone.extension},
        button=_("Delete"), cancel=phone.get_absolute_url(), action=delete)


@requires("telephony.change_phone")
def phone_secret(request: HttpRequest, pk: int) -> HttpResponse:
    phone = phone_of(request, pk)

    def regenerate(_form: None) -> HttpResponse:
        secret = services.regenerate_sip_secret(phone)
        return secret_page(request, title=_("New SIP secret for %(extension)s") % {
            "extension": phone.extension}, items=sip_items(phone, secret),
            links=[{"label": _("Go to the phone"), "url": phone.get_absolute_url()}])

    return confirm_page(
        request, title=_("Regenerate the SIP secret"),
        question=_("Give the phone %(phone)s a new SIP secret? The device stops working "
                   "until it is configured with the new one, shown once on the next page.")
        % {"phone": phone},
        button=_("Regenerate"), cancel=phone.get_absolute_url(), action=regenerate)

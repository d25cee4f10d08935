"""Pages of the telephony app: the phones, their live registration state, their SIP
secret and their forwards. Every change goes through ``centrex.telephony.services`` (or
``forwards``), which applies it to Asterisk in the same transaction (a refused change is
not saved)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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
from centrex.telephony import forwards, services
from centrex.telephony.confgen import FEATURE_CODES
from centrex.telephony.forms import ForwardsForm, PhoneForm
from centrex.telephony.models import CALL_RIGHTS, VOICEMAIL, Phone
from centrex.web.access import public, requires
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
        "phone": phone, "reg": reg, "forwards": forward_summary(phone), "state": state_label(reg),
        "rights": [label for name, label in CALL_RIGHTS if name in phone.rights],
        "sip_server": services.sip_server(), "changes": recent_changes(request, phone),
        "actions": allowed(request, [
            ("telephony.change_phone", _("Edit"), reverse("phone-edit", args=[pk]), ""),
            ("telephony.change_phone", _("Forwards"), reverse("forward-edit", args=[pk]),
             "secondary"),
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
        password = services.create_phone(form.instance, form.groups())
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
        services.update_phone(form.instance, pin=form.cleaned_data.get("new_pin"),
                              groups=form.groups())
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


# -- forwards and do-not-disturb (docs/forwards.md) -----------------------------------------
def destination_label(value: str) -> str:
    if not value:
        return _("off")
    return _("voicemail") if value == VOICEMAIL else value


def forward_summary(phone: Phone) -> list[tuple[str, str]]:
    """A phone's forwards as (what, where) lines, for the pages."""
    no_answer = destination_label(phone.forward_no_answer)
    if phone.forward_no_answer:
        no_answer = _("%(where)s after %(seconds)s s") % {
            "where": no_answer, "seconds": phone.forward_no_answer_delay}
    return [
        (_("Do not disturb"), _("on") if phone.dnd else _("off")),
        (_("Immediate forward"), destination_label(phone.forward_always)),
        (_("Forward on busy"), destination_label(phone.forward_busy)),
        (_("Forward on no answer"), no_answer),
    ]


def _forwards_page(request: HttpRequest, shown: list[Phone]) -> HttpResponse:
    for phone in shown:
        phone.summary = forward_summary(phone)
        phone.can_edit = forwards.may_edit(request.user, phone)
    return render(request, "telephony/forwards.html", {
        "phones": shown, "manage_all": request.user.has_perm("telephony.change_phone")})


@requires()
def forward_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's phones and their forwards."""
    return _forwards_page(request, list(Phone.objects.filter(user=request.user)))


@requires()
def forward_edit(request: HttpRequest, phone_id: int) -> HttpResponse:
    """Your own phone's forwards; an administrator's, any phone in scope. Others in scope
    (a department head's colleagues) are shown, not changed."""
    phone = get_object_or_404(phones(request), pk=phone_id)
    if not forwards.may_edit(request.user, phone):
        return _forwards_page(request, [phone])
    back = (reverse("forwards") if phone.user_id == request.user.pk
            else phone.get_absolute_url())

    def save(form: ForwardsForm) -> HttpResponse:
        values = {name: form.cleaned_data[name] for name in forwards.EDITABLE}
        forwards.update_forwards(phone, values, request.user)
        messages.success(request, _("The forwards of %(extension)s have been saved.") % {
            "extension": phone.extension})
        return redirect(back)

    # The form checks a copy: a refused change must not leak into the phone shown later.
    form = ForwardsForm(request.user, request.POST or None,
                        instance=Phone.objects.get(pk=phone.pk))
    return form_page(request, form, title=_("Forwards of %(extension)s") % {
        "extension": phone.extension}, save=save, cancel=back)


@public
@csrf_exempt
@require_POST
def feature_code(request: HttpRequest) -> HttpResponse:
    """Called by Asterisk's dialplan when a phone dials a forward code: the body names the
    channel only; what to change and for which phone are read from that live channel
    through AMI, so a request from anywhere else can change nothing."""
    answer = forwards.from_phone(request.POST.get("channel", ""))
    return HttpResponse(answer, content_type="text/plain")


@requires()
def forward_codes(request: HttpRequest) -> HttpResponse:
    return render(request, "telephony/forward_codes.html", {"feature_codes": FEATURE_CODES})

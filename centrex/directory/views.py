"""Directory pages: the merged list (internal users and contacts), contacts' forms,
click-to-call, CSV/XLSX import and export, and the phone books served to phones."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from centrex.core import audit
from centrex.core.forms import ImportForm
from centrex.core.importexport import MAX_ROWS, ImportFileError, Record
from centrex.core.views import confirm_page, form_page
from centrex.directory import importexport, phonebook
from centrex.directory.forms import ContactForm
from centrex.directory.models import Contact
from centrex.directory.services import (
    CallRefused,
    Entry,
    click_to_call,
    entries,
    may_change,
    visible_contacts,
    with_number,
)
from centrex.web.access import public, requires
from centrex.web.lists import Column, export_format, render_list, table_response

SEARCH = ["first", "last", "org", "num1", "num2", "num3"]
CALL_FORM = "directory-call"


def _number_cell(index: int, user, can_call: bool):
    def cell(entry: Entry):
        number = getattr(entry, f"num{index}")
        if not number or not can_call or (entry.internal and entry.owner_ref == user.pk):
            return number  # no button without a phone of mine, nor to call myself
        return format_html(
            '{} <button class="small" type="submit" form="{}" name="number" value="{}" '
            'title="{}">{}</button>', number, CALL_FORM, number,
            _("Ring my phone, then call %(number)s") % {"number": number}, _("Call"))
    return cell


def _actions_cell(user):
    def cell(entry: Entry):
        if entry.internal:
            return _("colleague")
        if may_change(user, entry):
            return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                               reverse("contact-edit", args=[entry.ref]), _("Edit"),
                               reverse("contact-delete", args=[entry.ref]), _("Delete"))
        return ""
    return cell


def columns(request: HttpRequest) -> list[Column]:
    can_call = request.user.phones.exists()
    return [
        Column(gettext_lazy("First name"), "first", sort="first"),
        Column(gettext_lazy("Last name"), "last", sort="last"),
        Column(gettext_lazy("Company or department"), "org", sort="org"),
        *(Column(gettext_lazy("Phone %(n)s") % {"n": n}, _number_cell(n, request.user, can_call),
                 sort=f"num{n}", css="nowrap") for n in (1, 2, 3)),
        Column(gettext_lazy("Private"), lambda e: _("yes") if e.is_private else "",
               sort="is_private"),
        Column("", _actions_cell(request.user)),
    ]


@requires()
def directory(request: HttpRequest) -> HttpResponseBase:
    query = request.GET.urlencode()
    return render_list(
        request, "directory/list.html", entries(request.user), columns(request),
        search=SEARCH, default_sort="last",
        context={"title": _("Directory"), "call_form": CALL_FORM, "actions": [
            {"label": _("New contact"), "url": reverse("contact-create"), "style": ""},
            {"label": _("Import"), "url": reverse("contact-import"), "style": "secondary"},
            {"label": _("Export CSV"), "style": "secondary",
             "url": f"{reverse('contact-export')}?format=csv&{query}"},
            {"label": _("Export XLSX"), "style": "secondary",
             "url": f"{reverse('contact-export')}?format=xlsx&{query}"},
        ]})


# -- contacts ------------------------------------------------------------------------------
def _changeable(request: HttpRequest, pk: int) -> Contact:
    """A contact the user may change: 404 when they cannot see it, 403 when they can see
    it but not change it."""
    contact = get_object_or_404(visible_contacts(request.user), pk=pk)
    if not may_change(request.user, contact):
        raise PermissionDenied
    return contact


def _contact_form(request: HttpRequest, contact: Contact | None) -> HttpResponse:
    def save(form: ContactForm) -> HttpResponse:
        form.save()
        messages.success(request, _("The contact has been saved."))
        return redirect("directory")

    form = ContactForm(request.user, request.POST or None, instance=contact)
    title = _("Edit %(name)s") % {"name": contact} if contact else _("New contact")
    return form_page(request, form, title=title, save=save, cancel=reverse("directory"))


@requires()
def contact_create(request: HttpRequest) -> HttpResponse:
    return _contact_form(request, None)


@requires()
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _contact_form(request, _changeable(request, pk))


@requires()
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _changeable(request, pk)

    def delete(_form: None) -> HttpResponse:
        contact.delete()
        messages.success(request, _("The contact has been deleted."))
        return redirect("directory")

    return confirm_page(
        request, title=_("Delete %(name)s") % {"name": contact},
        question=_("Delete the contact %(name)s?") % {"name": contact},
        details=contact.numbers, button=_("Delete"), cancel=reverse("directory"),
        action=delete)


# -- click-to-call -------------------------------------------------------------------------
@require_POST
@requires()
def call(request: HttpRequest) -> HttpResponse:
    """Ring my phone, then dial the number; the name shown is the directory's for it."""
    number = request.POST.get("number", "").strip()
    found = entries(request.user).filter(with_number(number)).order_by("kind", "ref")[
        :1] if number else []  # a contact's name first: "contact" sorts before "user"
    name = found[0].name if found else ""
    try:
        phone = click_to_call(request.user, number, name)
    except CallRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _(
            "Your phone %(extension)s rings: pick it up and Centrex calls %(number)s.") % {
            "extension": phone.extension, "number": number})
    back = request.POST.get("back", "")
    return redirect(f"{reverse('directory')}?{back}" if back else "directory")


# -- import and export ---------------------------------------------------------------------
@requires()
def contact_export(request: HttpRequest) -> HttpResponseBase:
    fmt = export_format(request) or ("xlsx" if request.GET.get("format") == "xlsx" else "csv")
    contacts = visible_contacts(request.user)
    audit.record("export", object_repr=_("contacts (%(format)s)") % {"format": fmt})
    return table_response("centrex-contacts", importexport.COLUMNS,
                          importexport.export_rows(contacts), fmt)


IMPORT_SESSION_KEY = "centrex-contact-import"


@requires()
def contact_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview with every problem → confirm → all contacts or none."""
    plan = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.pop(IMPORT_SESSION_KEY, None)
        if not stored:
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("contact-import")
        plan, count = importexport.run([Record(n, v) for n, v in stored], request.user)
        if count is not None:
            messages.success(request, ngettext("%(count)s contact imported.",
                                               "%(count)s contacts imported.", count)
                             % {"count": count})
            return redirect("directory")
        form = ImportForm()
    else:
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                records = importexport.read(upload.name, upload.read())
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                plan = importexport.check(records, request.user)
                request.session[IMPORT_SESSION_KEY] = [
                    [r.line, r.values] for r in records] if plan.ok else None
    return render(request, "directory/import.html", {
        "form": form, "plan": plan, "columns": importexport.COLUMNS, "max_rows": MAX_ROWS})


# -- phone books ---------------------------------------------------------------------------
@public
def phonebook_yealink(request: HttpRequest) -> HttpResponse:
    """Yealink ``YealinkIPPhoneDirectory``; HTTP Digest with the phone's SIP credentials."""
    return phonebook.serve(request, phonebook.yealink)


@public
def phonebook_grandstream(request: HttpRequest) -> HttpResponse:
    """Grandstream ``AddressBook``; HTTP Digest with the phone's SIP credentials."""
    return phonebook.serve(request, phonebook.grandstream)

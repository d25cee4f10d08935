"""Pages of the core app: sign-in, my account, and the administration of users,
departments, the journal of changes and the site settings.

The page helpers at the top (``form_page``, ``confirm_page``, ``secret_page``) are shared
by every administration page, the telephony app's included, so that a form, a confirmation
and a secret shown once look and behave the same everywhere. Views only check, call a
service and draw; what reaches Asterisk is applied by the services.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from centrex.core import audit, importexport, roles, signin
from centrex.core import services as core_services
from centrex.core.forms import (
    DepartmentForm,
    ImportForm,
    JournalFilterForm,
    PasswordChangeForm,
    PinChangeForm,
    SignInForm,
    SiteSettingsForm,
    UserDeleteForm,
    UserForm,
    action_label,
    object_type_label,
)
from centrex.core.models import AuditEntry, Department, SiteSettings, User
from centrex.telephony import services as phone_services
from centrex.telephony.models import SIP_REALM, Phone
from centrex.web.access import public, requires
from centrex.web.lists import Column, render_list, selected, table_response
from centrex.web.middleware import client_address

Action = dict[str, str]


# -- page helpers shared by the administration pages --------------------------------------
def not_applied(exc: Exception) -> str:
    return _("Asterisk did not take the change, so nothing was saved: %(error)s") % {
        "error": exc}


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    save: Callable[[forms.BaseForm], HttpResponse],
    cancel: str,
    context: dict | None = None,
) -> HttpResponse:
    """Draw a form; on a valid POST, ``save(form)`` calls a service and returns the next
    page. A refusal from the service (its own validation, or Asterisk refusing the
    change, rolled back) is shown on the form, with what the user typed kept."""
    if request.method == "POST" and form.is_valid():
        try:
            return save(form)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except phone_services.APPLY_ERRORS as exc:
            form.add_error(None, not_applied(exc))
    return render(request, "core/form.html", {
        "form": form, "title": title, "cancel": cancel, **(context or {})})


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    button: str,
    cancel: str,
    action: Callable[[forms.Form | None], HttpResponse],
    form: forms.Form | None = None,
    details: Sequence[str] = (),
    danger: bool = True,
) -> HttpResponse:
    """A question and a button: GET asks, POST does ``action`` (which returns the next
    page). Anything that deletes or replaces goes through here, never through a GET."""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            return action(form)
        except phone_services.APPLY_ERRORS as exc:
            messages.error(request, not_applied(exc))
    return render(request, "core/confirm.html", {
        "title": title, "question": question, "button": button, "cancel": cancel,
        "form": form, "details": details, "danger": danger})


def delete_page(request: HttpRequest, obj, *, delete: Callable[[object], None], back: str,
                question: str = "") -> HttpResponse:
    """Confirm, then ``delete(obj)`` (a service); a refusal (``ValidationError``: still
    used...) is shown on the page ``back`` leads to, and nothing is deleted."""
    def action(_form) -> HttpResponse:
        try:
            delete(obj)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(back)
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": obj})
        return redirect(back)

    return confirm_page(request, title=_("Delete %(name)s") % {"name": obj},
                        question=question or _("Delete “%(name)s”?") % {"name": obj},
                        button=_("Delete"), cancel=back, action=action)


def secret_page(
    request: HttpRequest, *, title: str, items: Sequence[dict], links: Sequence[Action] = (),
    table: dict | None = None,
) -> HttpResponse:
    """Secrets shown this once: they are not stored in clear anywhere, so this response is
    the only place they exist; it is never cached and never redrawn."""
    response = render(request, "core/secret.html", {
        "title": title, "items": items, "links": links, "table": table})
    response["Cache-Control"] = "no-store"
    return response


def item(key: str, label: str, value: object, secret: bool = False) -> dict:
    return {"key": key, "label": label, "value": value, "secret": secret}


def sip_server_text() -> str:
    server = phone_services.sip_server()
    return f"{server[0]}:{server[1]}" if server else "—"


def sip_items(phone: Phone, password: str) -> list[dict]:
    """What a phone needs to register: shown once, after creation or regeneration."""
    return [
        item("extension", _("Extension"), phone.extension),
        item("sip_username", _("SIP user name"), phone.sip_username),
        item("sip_password", _("SIP password"), password, secret=True),
        item("sip_server", _("SIP server"), sip_server_text()),
        item("sip_realm", _("Realm"), SIP_REALM),
    ]


def allowed(request: HttpRequest, actions: Sequence[tuple[str, str, str, str]]) -> list[Action]:
    """Buttons of a page, kept only when the user holds their permission:
    ``(permission, label, url, style)``."""
    return [{"label": label, "url": url, "style": style}
            for perm, label, url, style in actions if request.user.has_perm(perm)]


def recent_changes(request: HttpRequest, obj) -> list[AuditEntry] | None:
    """The last journal entries about an object, for readers of the journal only."""
    if not request.user.has_perm("core.view_audit"):
        return None
    entries = list(AuditEntry.objects.filter(
        object_type=obj._meta.label, object_id=str(obj.pk))[:10])
    for entry in entries:
        entry.label = action_label(entry.action)
    return entries


# -- sign-in -------------------------------------------------------------------------------
@public
def signin_view(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = client_address(request)
        if signin.is_locked(username, address):
            form.add_error(None, _("Too many failed sign-ins: this account or address is "
                                   "locked for a while. Try again later."))
        else:
            user = authenticate(request, username=username,
                                password=form.cleaned_data["password"])
            if user is None:
                signin.failed(username, address)
                form.add_error(None, _("Wrong user name or password."))
            else:
                login(request, user)
                with audit.acting("web", user=user, address=address):  # now we know who
                    signin.succeeded(user)
                if user.must_change_password:
                    return redirect("account-password")
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    target = "home"
                return redirect(target or "home")
    return render(request, "core/signin.html", {"form": form})


@require_POST
@public
def signout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("signin")


# -- my account ----------------------------------------------------------------------------
@requires()
def password_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        user.set_password(form.cleaned_data["new"])
        user.must_change_password = False
        user.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("account")
    return render(request, "core/password.html", {
        "form": form, "forced": request.user.must_change_password,
    })


def _tokens_url() -> str | None:
    """The API tokens page, when the API app provides it."""
    try:
        resolve("/account/tokens/")
    except Resolver404:
        return None
    return "/account/tokens/"


@requires()
def account_view(request: HttpRequest) -> HttpResponse:
    """My account: my phones and extension, links to change my password and PIN."""
    return render(request, "core/account.html", {
        "phones": request.user.phones.all(),
        "profiles": profile_labels(request.user),
        "sip_server": phone_services.sip_server(),
        "tokens_url": _tokens_url(),
    })


@requires()
def pin_view(request: HttpRequest) -> HttpResponse:
    """My voicemail PIN, for every phone of mine (applied to Asterisk at once)."""
    phones = list(request.user.phones.all())
    if not phones:
        messages.warning(request, _("No phone is assigned to you, so you have no voicemail."))
        return redirect("account")

    def save(form: PinChangeForm) -> HttpResponse:
        phone_services.change_voicemail_pin(phones, form.cleaned_data["pin"])
        messages.success(request, _("Your voicemail PIN has been changed."))
        return redirect("account")

    return form_page(request, PinChangeForm(request.user, request.POST or None),
                     title=_("Change my voicemail PIN"), save=save, cancel=reverse("account"))


# -- users ---------------------------------------------------------------------------------
def profile_labels(user: User) -> list[str]:
    return [str(roles.PROFILES[n].label) if n in roles.PROFILES else n
            for n in roles.profiles_of(user)]


USER_COLUMNS = [
    Column(gettext_lazy("User name"), "username", sort="username", link=True),
    Column(gettext_lazy("Name"), lambda u: u.get_full_name(), sort="last_name"),
    Column(gettext_lazy("Email"), "email", sort="email"),
    Column(gettext_lazy("Department"), "department.name", sort="department__name"),
    Column(gettext_lazy("Extensions"), lambda u: ", ".join(p.extension for p in u.phones.all())),
    Column(gettext_lazy("Profiles"), lambda u: ", ".join(sorted(g.name for g in u.groups.all()))),
    Column(gettext_lazy("Active"), "is_active", sort="is_active"),
]
USER_SEARCH = ["username", "first_name", "last_name", "email", "department__name",
               "phones__extension"]


def users(request: HttpRequest) -> QuerySet:
    """The users this user may see (scope), ready for lists."""
    return roles.users_in_scope(request.user, User.objects.all()).select_related(
        "department").prefetch_related("phones", "groups")


def user_of(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(users(request), pk=pk)


@requires("core.view_user")
def user_list(request: HttpRequest) -> HttpResponseBase:
    export = f"{reverse('user-export')}?{urlencode({'q': request.GET.get('q', '')})}"
    return render_list(
        request, "core/list.html", users(request), USER_COLUMNS,
        search=USER_SEARCH, default_sort="username",
        context={"title": _("Users"), "actions": allowed(request, [
            ("core.add_user", _("New user"), reverse("user-create"), ""),
            ("core.add_user", _("Import"), reverse("user-import"), "secondary"),
            ("core.view_user", _("Export CSV"), f"{export}&format=csv", "secondary"),
            ("core.view_user", _("Export XLSX"), f"{export}&format=xlsx", "secondary"),
        ])},
    )


@requires("core.view_user")
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request, pk)
    return render(request, "core/user_detail.html", {
        "shown": user, "profiles": profile_labels(user), "phones": user.phones.all(),
        "changes": recent_changes(request, user),
        "actions": allowed(request, [
            ("core.change_user", _("Edit"), reverse("user-edit", args=[pk]), ""),
            ("telephony.add_phone", _("Add a phone"),
             f"{reverse('phone-create')}?user={pk}", "secondary"),
            ("core.change_user", _("Give a new password"),
             reverse("user-password", args=[pk]), "secondary"),
            ("core.delete_user", _("Delete"), reverse("user-delete", args=[pk]), "danger"),
        ]),
    })


@requires("core.add_user")
def user_create(request: HttpRequest) -> HttpResponse:
    def save(form: UserForm) -> HttpResponse:
        data = form.cleaned_data
        made = phone_services.create_user_with_phone(
            form.instance, data.get("profiles", []), give_password=data["give_password"],
            phone=form.phone)
        if made.password is None and made.phone is None:
            messages.success(request, _("The user has been created."))
            return redirect(made.user)
        items = [item("username", _("User name"), made.user.username)]
        if made.password:
            items.append(item("password", _("First password"), made.password, secret=True))
        links = [{"label": _("Go to the user"), "url": made.user.get_absolute_url()}]
        if made.phone is not None:
            items += sip_items(made.phone, made.sip_password)
            links.append({"label": _("Go to the phone"), "url": made.phone.get_absolute_url()})
        return secret_page(request, title=_("User created"), items=items, links=links)

    return form_page(request, UserForm(request.user, request.POST or None),
                     title=_("New user"), save=save, cancel=reverse("user-list"))


@requires("core.change_user")
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request, pk)

    def save(form: UserForm) -> HttpResponse:
        profiles = form.cleaned_data["profiles"] if "profiles" in form.fields else None
        core_services.update_user(form.instance, profiles)
        messages.success(request, _("The user has been saved."))
        return redirect(form.instance)

    return form_page(request, UserForm(request.user, request.POST or None, instance=user),
                     title=_("Edit %(name)s") % {"name": user.username}, save=save,
                     cancel=user.get_absolute_url())


@requires("core.delete_user")
def user_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request, pk)
    if user.pk == request.user.pk:
        messages.error(request, _("You cannot delete your own account."))
        return redirect(user)
    phones = list(user.phones.all())

    def delete(form: UserDeleteForm | None) -> HttpResponse:
        with_phones = bool(form and form.cleaned_data["with_phones"])
        phone_services.delete_user(user, with_phones=with_phones)
        messages.success(request, _("The user has been deleted."))
        return redirect("user-list")

    return confirm_page(
        request, title=_("Delete %(name)s") % {"name": user.username},
        question=_("Delete the user %(name)s? Their sign-in and profiles are lost.")
        % {"name": user.display_name},
        details=[str(p) for p in phones], button=_("Delete"), cancel=user.get_absolute_url(),
        form=UserDeleteForm(request.POST if request.method == "POST" else None) if phones else None,
        action=delete)


@requires("core.change_user")
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request, pk)

    def give(_form: None) -> HttpResponse:
        password = core_services.give_new_password(user)
        return secret_page(request, title=_("New password for %(name)s") % {
            "name": user.username}, items=[
            item("username", _("User name"), user.username),
            item("password", _("Password"), password, secret=True)],
            links=[{"label": _("Go to the user"), "url": user.get_absolute_url()}])

    return confirm_page(
        request, title=_("Give a new password"), danger=False,
        question=_("Replace the password of %(name)s by a new one, shown once? They will "
                   "choose their own at the next sign-in.") % {"name": user.display_name},
        button=_("Give a new password"), cancel=user.get_absolute_url(), action=give)


# -- import and export of users -----------------------------------------------------------
@requires("core.view_user")
def user_export(request: HttpRequest) -> HttpResponseBase:
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        fmt = "csv"
    chosen, _query, _sort = selected(request, users(request), USER_COLUMNS, USER_SEARCH)
    audit.record("export", object_repr=_("users (%(format)s)") % {"format": fmt})
    return table_response("centrex-users", importexport.COLUMNS,
                          importexport.export_rows(chosen), fmt)


IMPORT_SESSION_KEY = "centrex-import"


@requires("core.add_user")
def user_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview (line by line, with problems) → confirm → all or nothing.

    The records checked in the preview wait in the session (no file is kept on disk) and
    are checked again when confirmed, since the database may have changed meanwhile.
    """
    for perm in ("core.change_user", "telephony.add_phone", "telephony.change_phone"):
        if not request.user.has_perm(perm):
            raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = importexport.read_file(upload.name, upload.read())
        except importexport.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            plan = importexport.check(records, request.user)
            request.session[IMPORT_SESSION_KEY] = [
                [r.line, r.values] for r in records] if plan.ok else None
    return render(request, "core/import.html", {
        "form": form, "plan": plan, "columns": importexport.COLUMNS,
        "max_rows": importexport.MAX_ROWS})


def _import_confirm(request: HttpRequest) -> HttpResponse:
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if not stored:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("user-import")
    records = [importexport.Record(line, values) for line, values in stored]
    try:
        plan, outcome = importexport.run(records, request.user)
    except phone_services.APPLY_ERRORS as exc:
        messages.error(request, not_applied(exc))
        return redirect("user-import")
    if outcome is None:  # the database changed since the preview
        return render(request, "core/import.html", {
            "form": ImportForm(), "plan": plan, "columns": importexport.COLUMNS,
            "max_rows": importexport.MAX_ROWS})
    headers = [_("Extension"), _("Caller name"), _("SIP user name"), _("SIP password")]
    return secret_page(request, title=_("Import done"), items=[
        item("summary", _("Result"), outcome.summary())], table={
        "headers": headers,
        "rows": [list(zip(headers, (p.extension, p.name, p.sip_username, pw), strict=True))
                 for p, pw in outcome.new_phones],
        "server": sip_server_text(),
    }, links=[{"label": _("Back to the users"), "url": reverse("user-list")}])


# -- departments ---------------------------------------------------------------------------
DEPARTMENT_COLUMNS = [
    Column(gettext_lazy("Name"), "name", sort="name", link=True),
    Column(gettext_lazy("Users"), "user_count", sort="user_count"),
    Column(gettext_lazy("Phones"), "phone_count", sort="phone_count"),
]


def departments(request: HttpRequest) -> QuerySet:
    return roles.departments_in_scope(request.user, Department.objects.all()).annotate(
        user_count=Count("users", distinct=True),
        phone_count=Count("users__phones", distinct=True))


@requires("core.view_department")
def department_list(request: HttpRequest) -> HttpResponseBase:
    return render_list(
        request, "core/list.html", departments(request), DEPARTMENT_COLUMNS,
        search=["name"], default_sort="name", export_name="centrex-departments",
        context={"title": _("Departments"), "actions": allowed(request, [
            ("core.add_department", _("New department"), reverse("department-create"), ""),
        ])})


@requires("core.view_department")
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dept = get_object_or_404(departments(request), pk=pk)
    members = roles.users_in_scope(request.user, dept.users.all()).prefetch_related("phones")
    return render(request, "core/department_detail.html", {
        "department": dept, "members": members, "changes": recent_changes(request, dept),
        "actions": allowed(request, [
            ("core.change_department", _("Edit"), reverse("department-edit", args=[pk]), ""),
            ("core.delete_department", _("Delete"),
             reverse("department-delete", args=[pk]), "danger"),
        ]),
    })


def _department_form(request: HttpRequest, dept: Department | None) -> HttpResponse:
    def save(form: DepartmentForm) -> HttpResponse:
        saved = form.save()
        messages.success(request, _("The department has been saved."))
        return redirect(saved)

    return form_page(
        request, DepartmentForm(request.POST or None, instance=dept),
        title=_("Edit %(name)s") % {"name": dept.name} if dept else _("New department"),
        save=save, cancel=dept.get_absolute_url() if dept else reverse("department-list"))


@requires("core.add_department")
def department_create(request: HttpRequest) -> HttpResponse:
    return _department_form(request, None)


@requires("core.change_department")
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _department_form(request, get_object_or_404(departments(request), pk=pk))


@requires("core.delete_department")
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    dept = get_object_or_404(departments(request), pk=pk)

    def delete(_form: None) -> HttpResponse:
        dept.delete()
        messages.success(request, _("The department has been deleted."))
        return redirect("department-list")

    return confirm_page(
        request, title=_("Delete %(name)s") % {"name": dept.name},
        question=_("Delete the department %(name)s? Its %(count)s users stay, without a "
                   "department.") % {"name": dept.name, "count": dept.user_count},
        button=_("Delete"), cancel=dept.get_absolute_url(), action=delete)


# -- journal -------------------------------------------------------------------------------
def _changed_fields(entry: AuditEntry) -> str:
    """The fields an update changed, by their names (a creation lists them all: noise)."""
    if entry.action != "update" or not isinstance(entry.changes, dict):
        return ""
    return ", ".join(field_label(entry, name) for name in sorted(entry.changes))


def _when(entry: AuditEntry) -> str:
    return timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S")


JOURNAL_COLUMNS = [
    Column(gettext_lazy("When"), _when, sort="at", link=True, css="nowrap"),
    Column(gettext_lazy("Who"), "actor_name", sort="actor_name"),
    Column(gettext_lazy("Source"), lambda e: e.get_source_display(), sort="source"),
    Column(gettext_lazy("Address"), "address", sort="address"),
    Column(gettext_lazy("Action"), lambda e: action_label(e.action), sort="action"),
    Column(gettext_lazy("Object type"), lambda e: object_type_label(e.object_type),
           sort="object_type"),
    Column(gettext_lazy("Object"), "object_repr", sort="object_repr"),
    Column(gettext_lazy("Changed fields"), _changed_fields),
]


@requires("core.view_audit")
def journal(request: HttpRequest) -> HttpResponseBase:
    return render_list(
        request, "core/list.html", AuditEntry.objects.all(), JOURNAL_COLUMNS,
        search=["object_repr", "actor_name", "address", "object_id"], default_sort="-at",
        filters=JournalFilterForm(request.GET), export_name="centrex-journal",
        context={"title": _("Journal of changes")})


def field_label(entry: AuditEntry, name: str) -> str:
    """A journal field name (``department_id``) as the model names it ("Department")."""
    try:
        model = apps.get_model(entry.object_type)
        for f in model._meta.concrete_fields:
            if name in (f.attname, f.name):
                return str(capfirst(f.verbose_name))
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


@requires("core.view_audit")
def journal_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(AuditEntry, pk=pk)
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    rows = []
    for name, value in sorted(changes.items()):
        before, after = value if isinstance(value, list) and len(value) == 2 else ("", value)
        rows.append((field_label(entry, name), before, after))
    return render(request, "core/journal_entry.html", {
        "entry": entry, "action": action_label(entry.action),
        "object_type": object_type_label(entry.object_type), "rows": rows})


# -- site settings -------------------------------------------------------------------------
@requires("core.administer")
def site_settings(request: HttpRequest) -> HttpResponse:
    def save(form: SiteSettingsForm) -> HttpResponse:
        form.save()
        messages.success(request, _("The settings have been saved."))
        return redirect("site-settings")

    form = SiteSettingsForm(client_address(request), request.POST or None,
                            instance=SiteSettings.get())
    return form_page(request, form, title=_("Settings"), save=save, cancel=reverse("home"),
                     context={"address": client_address(request)})

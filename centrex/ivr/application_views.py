"""Pages of the voice applications (seeds/002 "Applications (SVI)"): the list, the form
with the public numbers, the scenario editor (centrex/ivr/static/ivr/editor.js), export and
import as JSON, the flow image, and the web services. Scenarios are saved only through
``application_services.save_scenario``."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.core.views import allowed, delete_page, form_page, not_applied, recent_changes
from centrex.ivr import application_services as services
from centrex.ivr import flow_image, scenario
from centrex.ivr.application_forms import ApplicationForm, ImportForm, WebServiceForm
from centrex.ivr.models import Application, WebService
from centrex.ivr.scenario import ScenarioError
from centrex.telephony.services import APPLY_ERRORS
from centrex.web.access import requires
from centrex.web.lists import Column, render_list


def _when(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"


def _app_links(app: Application) -> str:
    return format_html('<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
                       reverse("application-scenario", args=[app.pk]), _("Scenario"),
                       reverse("application-flow", args=[app.pk]), _("Flow"),
                       reverse("application-export", args=[app.pk]), _("Export"))


@requires("ivr.view_application")
def application_list(request: HttpRequest) -> HttpResponseBase:
    def prepare(rows: list) -> None:
        from centrex.routing.models import EXTENSION, InboundNumber

        numbers: dict[str, list[str]] = {}
        for number, target in InboundNumber.objects.filter(
                destination=EXTENSION, target__in=[a.number for a in rows]).order_by(
                "number").values_list("number", "target"):
            numbers.setdefault(target, []).append(number)
        for app in rows:
            app.public = ", ".join(numbers.get(app.number, []))

    columns = [
        Column(gettext_lazy("Name"), "name", sort="name", link=True),
        Column(gettext_lazy("Internal number"), "number", sort="number"),
        Column(gettext_lazy("Public numbers"), "public"),
        Column(gettext_lazy("Active"), "active", sort="active"),
        Column(gettext_lazy("From"), lambda a: _when(a.start), sort="start"),
        Column(gettext_lazy("Until"), lambda a: _when(a.end), sort="end"),
        Column(gettext_lazy("Comments"), "comment"),
        Column("", _app_links),
    ]
    return render_list(
        request, "core/list.html", Application.objects.all(), columns,
        search=["name", "number", "comment"], default_sort="name", prepare=prepare,
        context={"title": _("Applications"), "actions": allowed(request, [
            ("ivr.add_application", _("New application"), reverse("application-add"), ""),
            ("ivr.add_application", _("Import"), reverse("application-import"), "secondary"),
            ("ivr.view_webservice", _("Web services"), reverse("webservice-list"),
             "secondary")])})


def _application_form(request: HttpRequest, app: Application | None) -> HttpResponse:
    form = ApplicationForm(request.POST or None, instance=app)

    def save(valid: ApplicationForm) -> HttpResponse:
        try:
            services.save_application(valid.instance, valid.cleaned_data["public_numbers"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    valid.add_error(field if field in valid.fields else None, errors)
                return render(request, "core/form.html", {
                    "form": valid, "title": title, "cancel": cancel})
            raise
        messages.success(request, _("“%(name)s” has been saved.") % {"name": valid.instance})
        return redirect("application-scenario" if app is None else "application-list",
                        *([valid.instance.pk] if app is None else []))

    title = _("Edit %(name)s") % {"name": app} if app else _("New application")
    cancel = reverse("application-list")
    return form_page(request, form, title=title, save=save, cancel=cancel,
                     context={"changes": recent_changes(request, app) if app else None})


@requires("ivr.add_application")
def application_add(request: HttpRequest) -> HttpResponse:
    return _application_form(request, None)


@requires("ivr.change_application")
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_form(request, get_object_or_404(Application, pk=pk))


@requires("ivr.delete_application")
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application, pk=pk)
    return delete_page(
        request, app, delete=services.delete_application, back=reverse("application-list"),
        question=_("Delete the application “%(name)s” and the public numbers that lead to "
                   "it?") % {"name": app})


# -- the scenario editor ----------------------------------------------------------------------
def _choices() -> dict:
    """What the editor's selects offer: the objects a scenario may name, and the numbers
    its transfers, voicemail and conference actions may take (suggested, checked again)."""
    from centrex.features.models import ConferenceRoom
    from centrex.telephony import numbering
    from centrex.telephony.models import Phone

    catalog = scenario.Catalog.load()
    choices = {kind: sorted(([pk, name] for pk, name in catalog.table(kind).items()),
                            key=lambda item: str(item[1]).lower())
               for kind in scenario.REFERENCE_KINDS}
    choices["internal"] = [list(pair) for pair in numbering.reachable_numbers()]
    choices["voicemail"] = [[p.extension, p.name] for p in Phone.objects.filter(
        voicemail_enabled=True).order_by("extension")]
    choices["conference"] = [[r.extension, r.name] for r in ConferenceRoom.objects.order_by(
        "extension")]
    return choices


def _editor_texts() -> dict:
    """The editor's words, translated here (the page's language)."""
    return {
        "add_action": _("Add"), "new_action": _("Add an action…"), "up": _("Move up"),
        "down": _("Move down"), "remove": _("Remove"), "remove_block": _("Remove the block"),
        "block_id": _("Identifier"), "block_name": _("Name"), "label": _("label"),
        "none": _("—"), "key": _("key %(key)s"), "new_block": _("New block identifier "
        "(lowercase letters, digits and _):"), "saved": _("Saved."),
        "errors": _("The scenario was not saved:"), "failed": _("The scenario was not "
        "saved (the server did not answer)."), "action": _("action %(n)s"),
        "revision": _("revision %(n)s"),
    }


@requires("ivr.view_application")
def application_scenario(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the editor. POST (JSON ``{"blocks": [...]}``, change permission): saved as a new
    revision, or 400 with the errors, each naming its block, action and field."""
    app = get_object_or_404(Application, pk=pk)
    if request.method == "POST":
        if not request.user.has_perm("ivr.change_application"):
            return JsonResponse({"errors": [{"message": _("You may not change it.")}]},
                                status=403)
        try:
            data = json.loads(request.body.decode("utf-8") or "null")
            app = services.save_and_apply(app, data, request.user)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return JsonResponse({"errors": [{"message": _("The scenario is not JSON.")}]},
                                status=400)
        except ScenarioError as exc:
            return JsonResponse({"errors": exc.errors}, status=400)
        except APPLY_ERRORS as exc:
            return JsonResponse({"errors": [{"message": not_applied(exc)}]}, status=503)
        return JsonResponse({"revision": app.revision, "scenario": app.scenario,
                             "message": _("Saved: revision %(n)s.") % {"n": app.revision}})
    return render(request, "ivr/application_editor.html", {
        "app": app, "editor": {
            "scenario": app.scenario, "schema": scenario.schema(), "choices": _choices(),
            "save_url": reverse("application-scenario", args=[app.pk]),
            "can_change": request.user.has_perm("ivr.change_application")},
        "texts": _editor_texts(),
        "actions": allowed(request, [
            ("ivr.change_application", _("Edit"), reverse("application-edit", args=[pk]),
             "secondary"),
            ("ivr.view_application", _("Flow"), reverse("application-flow", args=[pk]),
             "secondary"),
            ("ivr.view_application", _("Export"), reverse("application-export", args=[pk]),
             "secondary"),
            ("ivr.delete_application", _("Delete"),
             reverse("application-delete", args=[pk]), "danger")])})


@requires("ivr.view_application")
def application_flow(request: HttpRequest, pk: int) -> HttpResponse:
    """The flow as an SVG image (``?download=1``: as a file, for the documentation)."""
    app = get_object_or_404(Application, pk=pk)
    response = HttpResponse(flow_image.render(app), content_type="image/svg+xml")
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = (
            f'attachment; filename="{slugify(app.name) or "application"}.svg"')
    return response


@requires("ivr.view_application")
def application_export(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(Application, pk=pk)
    response = HttpResponse(json.dumps(services.export_application(app), indent=2,
                                       ensure_ascii=False) + "\n",
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(app.name) or "application"}.json"')
    return response


@requires("ivr.add_application")
def application_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)

    def save(valid: ImportForm) -> HttpResponse:
        try:
            app = services.import_application(valid.cleaned_data["file"], request.user)
        except ScenarioError as exc:
            for line in services.describe_errors(exc.errors):
                valid.add_error("file", line)
            return render(request, "core/form.html", {
                "form": valid, "title": _("Import an application"),
                "cancel": reverse("application-list")})
        messages.success(request, _("“%(name)s” has been imported.") % {"name": app})
        return redirect("application-scenario", app.pk)

    return form_page(request, form, title=_("Import an application"), save=save,
                     cancel=reverse("application-list"))


# -- web services -----------------------------------------------------------------------------
@requires("ivr.view_webservice")
def webservice_list(request: HttpRequest) -> HttpResponseBase:
    columns = [
        Column(gettext_lazy("Name"), "name", sort="name", link=True),
        Column(gettext_lazy("URL"), "url", sort="url"),
        Column(gettext_lazy("Timeout (s)"), "timeout", sort="timeout", css="number"),
        Column(gettext_lazy("Comments"), "comment"),
    ]
    return render_list(
        request, "core/list.html", WebService.objects.all(), columns,
        search=["name", "url", "comment"], default_sort="name",
        context={"title": _("Web services"), "actions": allowed(request, [
            ("ivr.add_webservice", _("New web service"), reverse("webservice-add"), ""),
            ("ivr.view_application", _("Applications"), reverse("application-list"),
             "secondary")])})


def _webservice_form(request: HttpRequest, service: WebService | None) -> HttpResponse:
    form = WebServiceForm(request.POST or None, instance=service)

    def save(valid: WebServiceForm) -> HttpResponse:
        services.save_webservice(valid.instance)
        messages.success(request, _("“%(name)s” has been saved.") % {"name": valid.instance})
        return redirect("webservice-list")

    title = _("Edit %(name)s") % {"name": service} if service else _("New web service")
    return form_page(request, form, title=title, save=save, cancel=reverse("webservice-list"))


@requires("ivr.add_webservice")
def webservice_add(request: HttpRequest) -> HttpResponse:
    return _webservice_form(request, None)


@requires("ivr.change_webservice")
def webservice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _webservice_form(request, get_object_or_404(WebService, pk=pk))


@requires("ivr.delete_webservice")
def webservice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return delete_page(request, get_object_or_404(WebService, pk=pk),
                       delete=services.delete_webservice, back=reverse("webservice-list"))

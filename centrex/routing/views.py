"""Pages of the routing app (administrators): trunks, outbound routes, inbound numbers.
Every change goes through ``centrex.routing.services``, applied to Asterisk in the same
transaction (a refused change is not saved)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.core.views import allowed, confirm_page, form_page
from centrex.routing import services
from centrex.routing.forms import InboundNumberForm, RouteForm, TrunkForm
from centrex.routing.models import InboundNumber, Route, Trunk
from centrex.web.access import requires
from centrex.web.lists import Column, render_list


def _actions(kind: str) -> Callable:
    def cell(obj: Model):
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse(f"{kind}-edit", args=[obj.pk]), _("Edit"),
                           reverse(f"{kind}-delete", args=[obj.pk]), _("Delete"))
    return cell


def _list(request: HttpRequest, queryset, columns, *, kind: str, model: str, title: str,
          new: str, search: list[str], sort: str) -> HttpResponseBase:
    return render_list(
        request, "core/list.html", queryset, columns, search=search, default_sort=sort,
        export_name=f"centrex-{kind}s",
        context={"title": title, "actions": allowed(request, [
            (f"routing.add_{model}", new, reverse(f"{kind}-create"), ""),
        ])})


def _delete(request: HttpRequest, obj: Model, *, kind: str, question: str) -> HttpResponse:
    def delete(_form: None) -> HttpResponse:
        services.delete(obj)
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": obj})
        return redirect(f"{kind}-list")

    return confirm_page(request, title=_("Delete %(name)s") % {"name": obj}, question=question,
                        button=_("Delete"), cancel=reverse(f"{kind}-list"), action=delete)


# -- trunks ----------------------------------------------------------------------------------
TRUNK_COLUMNS = [
    Column(gettext_lazy("Name"), "name", sort="name", link=True),
    Column(gettext_lazy("Host"), lambda t: f"{t.host}:{t.port} ({t.transport.upper()})",
           sort="host"),
    Column(gettext_lazy("Authentication"), lambda t: t.get_auth_mode_display()),
    Column(gettext_lazy("Codecs"), "codecs"),
    Column(gettext_lazy("Maximum calls"), lambda t: t.max_channels or "—",
           sort="max_channels"),
    Column(gettext_lazy("Default number"), "default_caller_id"),
    Column("", _actions("trunk")),
]


@requires("routing.view_trunk")
def trunk_list(request: HttpRequest) -> HttpResponseBase:
    return _list(request, Trunk.objects.all(), TRUNK_COLUMNS, kind="trunk", model="trunk",
                 title=_("Trunks"), new=_("New trunk"), search=["name", "host", "username"],
                 sort="name")


def _trunk_form(request: HttpRequest, trunk: Trunk | None) -> HttpResponse:
    def save(form: TrunkForm) -> HttpResponse:
        services.save_trunk(form.instance)
        messages.success(request, _("The trunk has been saved."))
        return redirect("trunk-list")

    return form_page(request, TrunkForm(request.POST or None, instance=trunk),
                     title=_("Edit %(name)s") % {"name": trunk} if trunk else _("New trunk"),
                     save=save, cancel=reverse("trunk-list"))


@requires("routing.add_trunk")
def trunk_create(request: HttpRequest) -> HttpResponse:
    return _trunk_form(request, None)


@requires("routing.change_trunk")
def trunk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _trunk_form(request, get_object_or_404(Trunk, pk=pk))


@requires("routing.delete_trunk")
def trunk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    trunk = get_object_or_404(Trunk, pk=pk)
    routes = ", ".join(str(r) for r in trunk.routes.all())
    question = _("Delete the trunk %(name)s?") % {"name": trunk}
    if routes:
        question += " " + _("It leaves the routes that use it: %(routes)s.") % {
            "routes": routes}
    return _delete(request, trunk, kind="trunk", question=question)


# -- routes ----------------------------------------------------------------------------------
ROUTE_COLUMNS = [
    Column(gettext_lazy("Name"), "name", sort="name", link=True),
    Column(gettext_lazy("Pattern"), "pattern", sort="pattern"),
    Column(gettext_lazy("Strip"), "strip"),
    Column(gettext_lazy("Prepend"), "prepend"),
    Column(gettext_lazy("Trunks, in order"),
           lambda r: " → ".join(str(t) for t in r.ordered_trunks())),
    Column("", _actions("route")),
]


@requires("routing.view_route")
def route_list(request: HttpRequest) -> HttpResponseBase:
    return _list(request, Route.objects.all(), ROUTE_COLUMNS, kind="route", model="route",
                 title=_("Outbound routes"), new=_("New route"), search=["name", "pattern"],
                 sort="pattern")


def _route_form(request: HttpRequest, route: Route | None) -> HttpResponse:
    def save(form: RouteForm) -> HttpResponse:
        services.save_route(form.instance, form.trunks())
        messages.success(request, _("The route has been saved."))
        return redirect("route-list")

    return form_page(request, RouteForm(request.POST or None, instance=route),
                     title=_("Edit %(name)s") % {"name": route} if route else _("New route"),
                     save=save, cancel=reverse("route-list"))


@requires("routing.add_route")
def route_create(request: HttpRequest) -> HttpResponse:
    return _route_form(request, None)


@requires("routing.change_route")
def route_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _route_form(request, get_object_or_404(Route, pk=pk))


@requires("routing.delete_route")
def route_delete(request: HttpRequest, pk: int) -> HttpResponse:
    route = get_object_or_404(Route, pk=pk)
    return _delete(request, route, kind="route", question=_(
        "Delete the route %(name)s? Numbers matching %(pattern)s can no longer be dialled.")
        % {"name": route, "pattern": route.pattern})


# -- inbound numbers -------------------------------------------------------------------------
DID_COLUMNS = [
    Column(gettext_lazy("Number"), "number", sort="number", link=True),
    Column(gettext_lazy("Destination"), lambda d: d.get_destination_display(),
           sort="destination"),
    Column(gettext_lazy("Internal number"), "target", sort="target"),
    Column(gettext_lazy("Description"), "description", sort="description"),
    Column("", _actions("did")),
]


@requires("routing.view_inboundnumber")
def did_list(request: HttpRequest) -> HttpResponseBase:
    return _list(request, InboundNumber.objects.all(), DID_COLUMNS, kind="did",
                 model="inboundnumber", title=_("Inbound numbers"), new=_("New inbound number"),
                 search=["number", "target", "description"], sort="number")


def _did_form(request: HttpRequest, did: InboundNumber | None) -> HttpResponse:
    def save(form: InboundNumberForm) -> HttpResponse:
        services.save_inbound_number(form.instance)
        messages.success(request, _("The inbound number has been saved."))
        return redirect("did-list")

    return form_page(request, InboundNumberForm(request.POST or None, instance=did),
                     title=(_("Edit %(name)s") % {"name": did} if did
                            else _("New inbound number")),
                     save=save, cancel=reverse("did-list"))


@requires("routing.add_inboundnumber")
def did_create(request: HttpRequest) -> HttpResponse:
    return _did_form(request, None)


@requires("routing.change_inboundnumber")
def did_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _did_form(request, get_object_or_404(InboundNumber, pk=pk))


@requires("routing.delete_inboundnumber")
def did_delete(request: HttpRequest, pk: int) -> HttpResponse:
    did = get_object_or_404(InboundNumber, pk=pk)
    return _delete(request, did, kind="did", question=_(
        "Delete the inbound number %(name)s? Calls to it will be refused.") % {"name": did})

"""Pages of the queues, pause reasons and contact-center settings (docs/contact_center.md).

Administrators create, change and delete queues (each change applied to Asterisk in the
same transaction, through ``services``) and keep the list of pause reasons. Agents and
supervisors reach their own queues from the agents' and supervision pages instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.contact_center import services
from centrex.contact_center.forms import ContactCenterSettingsForm, PauseReasonForm, QueueForm
from centrex.contact_center.models import ContactCenterSettings, PauseReason, Queue
from centrex.core.views import allowed, confirm_page, form_page
from centrex.web.access import requires
from centrex.web.lists import Column, render_list


def _overflow(queue: Queue) -> str:
    if queue.overflow == Queue.HANGUP:
        return _("Hang up")
    if queue.overflow == Queue.VOICEMAIL:
        return _("voicemail of %(number)s") % {"number": queue.overflow_number}
    return queue.overflow_number


def _delete_link(request: HttpRequest, columns: list[Column], permission: str,
                 url_name: str) -> list[Column]:
    if not request.user.has_perm(permission):
        return columns
    return [*columns, Column("", lambda obj: format_html(
        '<a href="{}">{}</a>', reverse(url_name, args=[obj.pk]), _("Delete")))]


# -- queues ---------------------------------------------------------------------------------
QUEUE_COLUMNS = [
    Column(gettext_lazy("Name"), "name", sort="name", link=True),
    Column(gettext_lazy("Extension"), "extension", sort="extension"),
    Column(gettext_lazy("Description"), "description"),
    Column(gettext_lazy("Call distribution"), lambda q: q.get_strategy_display(),
           sort="strategy"),
    Column(gettext_lazy("Agents logged in"), "logged_in", css="number"),
    Column(gettext_lazy("Recorded"), lambda q: _("yes") if q.record else ""),
    Column(gettext_lazy("When the caller cannot be served"), _overflow),
]


@requires("contact_center.view_queue")
def queue_list(request: HttpRequest) -> HttpResponseBase:
    queues = Queue.objects.annotate(
        logged_in=Count("agents", filter=Q(agents__logged_in=True)))
    columns = QUEUE_COLUMNS if request.user.has_perm("contact_center.change_queue") else [
        Column(c.label, c.value, sort=c.sort, css=c.css) for c in QUEUE_COLUMNS]
    return render_list(
        request, "core/list.html", queues,
        _delete_link(request, columns, "contact_center.delete_queue", "queue-delete"),
        search=["name", "extension", "description"], default_sort="name",
        context={"title": _("Queues"), "actions": allowed(request, [
            ("contact_center.add_queue", _("New queue"), reverse("queue-create"), ""),
            ("contact_center.view_pausereason", _("Pause reasons"),
             reverse("pausereason-list"), ""),
            ("contact_center.change_contactcentersettings", _("Settings"),
             reverse("contact-center-settings"), ""),
        ])})


def _queue_form(request: HttpRequest, queue: Queue | None) -> HttpResponse:
    form = QueueForm(request.POST or None, instance=queue)
    title = _("Edit the queue %(name)s") % {"name": queue} if queue else _("New queue")

    def save(valid) -> HttpResponse:
        services.save_queue(valid.instance)
        messages.success(request, _("The queue “%(name)s” has been saved; its profiles are "
                                    "AG %(name)s (agents) and SV %(name)s (supervisors).")
                         % {"name": valid.instance.name})
        return redirect("queue-list")

    return form_page(request, form, title=title, save=save, cancel=reverse("queue-list"))


@requires("contact_center.add_queue")
def queue_create(request: HttpRequest) -> HttpResponse:
    return _queue_form(request, None)


@requires("contact_center.change_queue")
def queue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _queue_form(request, get_object_or_404(Queue, pk=pk))


@requires("contact_center.delete_queue")
def queue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    queue = get_object_or_404(Queue, pk=pk)

    def delete(_form: None) -> HttpResponse:
        services.delete_queue(queue)
        messages.success(request, _("The queue “%(name)s” has been deleted.")
                         % {"name": queue.name})
        return redirect("queue-list")

    return confirm_page(
        request, title=_("Delete the queue %(name)s") % {"name": queue},
        question=_("Delete the queue “%(name)s”? Calls to %(number)s will fail, its agents "
                   "are logged out and its profiles AG %(name)s and SV %(name)s are "
                   "removed.") % {"name": queue.name, "number": queue.extension},
        button=_("Delete"), cancel=reverse("queue-list"), action=delete)


# -- pause reasons --------------------------------------------------------------------------
REASON_COLUMNS = [
    Column(gettext_lazy("Code"), "code", sort="code", link=True),
    Column(gettext_lazy("Name"), "name", sort="name"),
    Column(gettext_lazy("Offered to agents"), lambda r: _("yes") if r.active else _("no")),
]


@requires("contact_center.view_pausereason")
def pausereason_list(request: HttpRequest) -> HttpResponseBase:
    return render_list(
        request, "core/list.html", PauseReason.objects.all(),
        _delete_link(request, REASON_COLUMNS, "contact_center.delete_pausereason",
                     "pausereason-delete"),
        search=["name", "code"], default_sort="code",
        context={"title": _("Pause reasons"), "actions": allowed(request, [
            ("contact_center.add_pausereason", _("New pause reason"),
             reverse("pausereason-create"), "")])})


def _reason_form(request: HttpRequest, reason: PauseReason | None) -> HttpResponse:
    form = PauseReasonForm(request.POST or None, instance=reason)
    title = (_("Edit the pause reason %(name)s") % {"name": reason} if reason
             else _("New pause reason"))

    def save(valid) -> HttpResponse:
        services.save_pause_reason(valid.instance)
        messages.success(request, _("“%(name)s” has been saved.") % {"name": valid.instance})
        return redirect("pausereason-list")

    return form_page(request, form, title=title, save=save,
                     cancel=reverse("pausereason-list"))


@requires("contact_center.add_pausereason")
def pausereason_create(request: HttpRequest) -> HttpResponse:
    return _reason_form(request, None)


@requires("contact_center.change_pausereason")
def pausereason_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_form(request, get_object_or_404(PauseReason, pk=pk))


@requires("contact_center.delete_pausereason")
def pausereason_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reason = get_object_or_404(PauseReason, pk=pk)

    def delete(_form: None) -> HttpResponse:
        services.delete_pause_reason(reason)
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": reason})
        return redirect("pausereason-list")

    return confirm_page(
        request, title=_("Delete %(name)s") % {"name": reason},
        question=_("Delete the pause reason “%(name)s”? Agents paused with it stay paused, "
                   "without a reason.") % {"name": reason},
        button=_("Delete"), cancel=reverse("pausereason-list"), action=delete)


# -- settings -------------------------------------------------------------------------------
@requires("contact_center.change_contactcentersettings")
def settings_page(request: HttpRequest) -> HttpResponse:
    form = ContactCenterSettingsForm(request.POST or None,
                                     instance=ContactCenterSettings.get())

    def save(valid) -> HttpResponse:
        services.save_settings(valid.instance)
        messages.success(request, _("The contact-center settings have been saved."))
        return redirect("contact-center-settings")

    return form_page(request, form, title=_("Contact-center settings"), save=save,
                     cancel=reverse("queue-list"))

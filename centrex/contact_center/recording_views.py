"""Pages of the recordings (seeds/002 "Groupes d'appels - Enregistrements"): the list with
its filters, playing in the page, download and deletion.

Who sees what: ``contact_center.view_recording`` (administrators and the ``SV <queue>``
profiles) opens the list, and then only the recordings of the queues the user supervises
(``scope.supervised_queues``; administrators: all, those of deleted queues included). A
recording out of scope does not exist for the visitor (404).
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.contact_center import recordings, scope
from centrex.contact_center.models import Queue, Recording
from centrex.core import roles
from centrex.core.forms import check_date_range
from centrex.core.models import User
from centrex.core.views import confirm_page
from centrex.web.access import requires
from centrex.web.lists import Column, render_list

RANGE_RE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 64 * 1024


def visible(user) -> QuerySet[Recording]:
    """The recordings ``user`` may see: all for an administrator, else those of the queues
    they supervise."""
    rows = Recording.objects.select_related("queue", "agent", "recorded_by")
    if roles.is_admin(user):
        return rows
    return rows.filter(queue__in=scope.supervised_queues(user))


def recording_of(request: HttpRequest, pk: int) -> Recording:
    return get_object_or_404(visible(request.user), pk=pk)


def duration_text(seconds: int | None) -> str:
    if seconds is None:
        return _("in progress")
    return f"{seconds // 60}:{seconds % 60:02d}"


def person(user: User | None, name: str) -> str:
    if user is None:
        return name
    return user.get_full_name() or user.username


class RecordingFilterForm(forms.Form):
    queue = forms.ModelChoiceField(label=gettext_lazy("Queue"), required=False,
                                   queryset=Queue.objects.none(), empty_label="—")
    agent = forms.ModelChoiceField(label=gettext_lazy("Agent"), required=False,
                                   queryset=User.objects.none(), empty_label="—")
    since = forms.DateField(label=gettext_lazy("Since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = scope.supervised_queues(user)
        agents = visible(user).exclude(agent=None).values("agent")
        self.fields["agent"].queryset = User.objects.filter(pk__in=agents).order_by(
            "last_name", "username")

    def clean(self) -> dict:
        return check_date_range(self, super().clean())

    def apply(self, queryset: QuerySet) -> QuerySet:
        return filter_recordings(queryset, **self.cleaned_data)


def filter_recordings(queryset: QuerySet, queue=None, agent=None, since=None,
                      until=None) -> QuerySet:
    """The filters the page and the API share (dates in the site's time zone)."""
    if queue is not None:
        queryset = queryset.filter(queue=queue)
    if agent is not None:
        queryset = queryset.filter(agent=agent)
    if since:
        queryset = queryset.filter(started_at__date__gte=since)
    if until:
        queryset = queryset.filter(started_at__date__lte=until)
    return queryset


def _listen(recording: Recording) -> str:
    """The player, the download link and (with the permission) the delete link."""
    audio = reverse("recording-audio", args=[recording.pk])
    html = format_html(
        '<audio controls preload="none" src="{}"></audio> <a href="{}?download=1">{}</a>',
        audio, audio, _("Download"))
    if getattr(recording, "may_delete", False):
        html += format_html(' <a href="{}" class="danger">{}</a>',
                            reverse("recording-delete", args=[recording.pk]), _("Delete"))
    return html


COLUMNS = [
    Column(gettext_lazy("Queue"), "queue_name", sort="queue_name"),
    Column(gettext_lazy("Agent"), lambda r: person(r.agent, r.agent_name),
           sort="agent_name"),
    Column(gettext_lazy("Recorded by"),
           lambda r: person(r.recorded_by, "") if r.recorded_by_id else _("the queue")),
    Column(gettext_lazy("Caller"), "caller"),
    Column(gettext_lazy("Date"), lambda r: timezone.localtime(r.started_at).strftime(
        "%Y-%m-%d %H:%M:%S"), sort="started_at", css="nowrap"),
    Column(gettext_lazy("Duration"), lambda r: duration_text(r.duration), sort="duration",
           css="number"),
    Column(gettext_lazy("Listen"), _listen),
]


@requires("contact_center.view_recording")
def recording_list(request: HttpRequest) -> HttpResponseBase:
    may_delete = request.user.has_perm("contact_center.delete_recording")

    def prepare(page: list[Recording]) -> None:
        for recording in page:
            recording.may_delete = may_delete

    return render_list(
        request, "contact_center/recording_list.html", visible(request.user), COLUMNS,
        search=["queue_name", "agent_name", "caller", "uniqueid"], default_sort="-started_at",
        filters=RecordingFilterForm(request.user, request.GET), prepare=prepare,
        context={"title": _("Recordings"), "actions": [],
                 "unavailable": recordings.monitor_root() is None})


def _ranged(request: HttpRequest, path, content_type: str) -> HttpResponseBase | None:
    """A 206 answer for ``Range: bytes=a-b`` (browsers seek in <audio> with it); None when
    the request has no usable single range."""
    match = RANGE_RE.fullmatch(request.headers.get("Range", "").strip())
    if not match or not any(match.groups()):
        return None
    size = path.stat().st_size
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response

    def chunks():
        with path.open("rb") as file:
            file.seek(start)
            left = end - start + 1
            while left > 0:
                data = file.read(min(CHUNK, left))
                if not data:
                    return
                left -= len(data)
                yield data

    response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    return response


@requires("contact_center.view_recording")
def recording_audio(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The WAV file, for the page's <audio> (with Range) or as a download (``download=1``);
    410 when the row is there but the file is gone."""
    recording = recording_of(request, pk)
    path = recordings.file_of(recording)
    if path is None:
        return HttpResponse(_("The file of this recording no longer exists."), status=410,
                            content_type="text/plain; charset=utf-8")
    download = request.GET.get("download") == "1"
    response = None if download else _ranged(request, path, recordings.CONTENT_TYPE)
    if response is None:
        response = FileResponse(path.open("rb"), content_type=recordings.CONTENT_TYPE,
                                as_attachment=download,
                                filename=recordings.download_name(recording))
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    return response


@requires("contact_center.delete_recording")
def recording_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recording = recording_of(request, pk)

    def delete(_form) -> HttpResponse:
        recordings.remove(recording)
        messages.success(request, _("The recording has been deleted."))
        return redirect("recording-list")

    when = timezone.localtime(recording.started_at).strftime("%Y-%m-%d %H:%M")
    return confirm_page(
        request, title=_("Delete a recording"),
        question=_("Delete the recording of %(queue)s (%(agent)s, %(date)s)? The file is "
                   "deleted too; it cannot be recovered.")
        % {"queue": recording.queue_name, "agent": person(recording.agent,
                                                          recording.agent_name) or "—",
           "date": when},
        button=_("Delete"), cancel=reverse("recording-list"), action=delete)

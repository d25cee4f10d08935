"""Live supervision of the queues (seeds/002 "Groupes d'appels - Surveillance",
docs/supervision.md): the overview of my queues, a page per queue, its server-sent event
stream, the wallboard, and the supervisor's actions.

Every view checks the permission (``contact_center.supervise``) and then the scope: the
queue must be one the user supervises (``scope.may_supervise``; administrators: all).
The pages read the live state engine (``centrex.pbx.live``), never Asterisk directly; the
stream renders an HTML fragment each time the engine says the queue changed, which htmx's
SSE extension swaps into the page.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centrex.contact_center import scope
from centrex.contact_center.models import Agent, PauseReason, Queue
from centrex.pbx import live
from centrex.web.access import requires

PERMISSION = "contact_center.supervise"
# A stream sends the fragment again at least this often (keeps proxies from closing it and
# refreshes durations computed by the server).
KEEPALIVE = 15.0
ACTIONS = ("listen", "whisper", "barge", "record", "stop-record", "pause", "resume", "remove",
           "add")


class ActionError(Exception):
    """An action could not be done; the message is translated, for the supervisor."""


# -- scope -------------------------------------------------------------------------------------
def supervised_queue(user, queue_id: int) -> Queue:
    """The queue if ``user`` supervises it; 404 if it does not exist, 403 otherwise."""
    queue = get_object_or_404(Queue, pk=queue_id)
    if not scope.may_supervise(user, queue):
        raise PermissionDenied
    return queue


def display_names(queue: Queue) -> dict[str, str]:
    """Member name (username) → display name, for the queue's agents and profile."""
    User = get_user_model()
    users = User.objects.filter(queue_agents__queue=queue) | User.objects.filter(
        groups__name=queue.agents_profile)
    return {u.username: u.display_name for u in users.distinct()}


def queue_params() -> dict[str, dict]:
    """What the live engine cannot learn from QueueStatus: the queues' wrap-up times, the
    service-level threshold as the database says, and the short-abandon time of the
    reports (the same service level live and in the statistics)."""
    from centrex.reports.models import ReportSettings

    short = ReportSettings.get().short_abandon
    return {q.name: {"service_level": q.service_level, "wrapup": q.wrapup_time,
                     "short_abandon": short} for q in Queue.objects.all()}


def install() -> None:
    """From AppConfig.ready: feed the live engine; administrators supervise every queue."""
    from centrex.core import roles

    live.install(params=queue_params)
    roles.extend_profile(roles.ADMIN, [PERMISSION])


# -- rendering ---------------------------------------------------------------------------------
def _labels() -> dict[str, str]:
    # Translated at render time (the stream renders in the request's language).
    return {
        "free": _("free"), "ringing": _("ringing"), "in_call_inbound": _("in call (inbound)"),
        "in_call_outbound": _("in call (outbound)"), "paused": _("paused"),
        "wrapup": _("wrap-up"), "unreachable": _("phone unreachable"),
        "logged_out": _("logged out"),
    }


def live_context(queue: Queue, names: dict[str, str], snap: dict | None = None) -> dict:
    snap = snap or live.state.snapshot(queue.name)
    labels = _labels()
    for member in snap["members"]:
        member["display"] = names.get(member["name"], member["name"])
        member["label"] = labels.get(member["state"], member["state"])
        member["duration"] = max(0, int(snap["now"] - member["since"]))
        member["since_attr"] = str(int(member["since"]))
    # Plain dot decimals for the data attributes (not the language's number format).
    snap["now_attr"] = f"{snap['now']:.3f}"
    snap["event_at_attr"] = f"{snap['last_event_at']:.6f}"
    return {"queue": queue, "snap": snap, "counts": snap["counts"], "agents": snap["agents"]}


def render_live(queue: Queue, names: dict[str, str], template: str) -> str:
    return render_to_string(template, live_context(queue, names))


def sse(event: str, html: str) -> bytes:
    """One server-sent event; each line of the HTML is a ``data:`` line."""
    lines = "".join(f"data: {line}\n" for line in html.splitlines() or [""])
    return f"event: {event}\n{lines}\n".encode()


async def stream_events(queue: Queue, names: dict[str, str], template: str,
                        language: str | None) -> AsyncIterator[bytes]:
    """The fragment now, then again after every change of the queue (within the time it
    takes to render), and at least every KEEPALIVE seconds."""
    from django.utils import translation

    async with live.watch({queue.name}) as changes:
        yield b"retry: 2000\n\n"
        last = ""
        while True:
            if language:
                translation.activate(language)
            context = live_context(queue, names)
            missing = {m["name"] for m in context["snap"]["members"]} - set(names)
            if missing:
                names.update(await sync_to_async(display_names)(queue))
                for member in context["snap"]["members"]:
                    member["display"] = names.get(member["name"], member["name"])
            html = render_to_string(template, context)
            if html != last:
                yield sse("state", html)
                last = html
            else:
                yield b": keepalive\n\n"
            now = time.time()
            deadline = live.state.next_deadline(now)
            timeout = KEEPALIVE if deadline is None else min(KEEPALIVE,
                                                            max(0.05, deadline - now + 0.05))
            await changes.wait(timeout)


def _stream_response(queue: Queue, template: str, request: HttpRequest) -> HttpResponse:
    names = display_names(queue)
    response = StreamingHttpResponse(
        stream_events(queue, names, template, getattr(request, "LANGUAGE_CODE", None)),
        content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


# -- pages -------------------------------------------------------------------------------------
@requires(PERMISSION)
def overview(request: HttpRequest) -> HttpResponse:
    """My queues, each with its running figures (seeds/004: a supervisor sees theirs)."""
    rows = []
    for queue in scope.supervised_queues(request.user):
        snap = live.state.snapshot(queue.name)
        rows.append({"queue": queue, "counts": snap["counts"], "agents": snap["agents"]})
    return render(request, "contact_center/supervision_list.html",
                  {"rows": rows, "synced": live.state.synced})


@requires(PERMISSION)
def queue_page(request: HttpRequest, queue_id: int) -> HttpResponse:
    queue = supervised_queue(request.user, queue_id)
    names = display_names(queue)
    User = get_user_model()
    logged = set(Agent.objects.filter(queue=queue, logged_in=True)
                 .values_list("user__username", flat=True))
    candidates = (User.objects.filter(groups__name=queue.agents_profile, is_active=True)
                  .exclude(username__in=logged).order_by("last_name", "first_name"))
    context = live_context(queue, names)
    context.update({
        "live_html": render_to_string("contact_center/supervision_live.html",
                                      live_context(queue, names), request=request),
        "candidates": candidates,
        "reasons": PauseReason.objects.filter(active=True),
        "logged_agents": Agent.objects.filter(queue=queue, logged_in=True)
        .select_related("user"),
        "synced": live.state.synced,
    })
    return render(request, "contact_center/supervision.html", context)


@requires(PERMISSION)
def queue_stream(request: HttpRequest, queue_id: int) -> HttpResponse:
    queue = supervised_queue(request.user, queue_id)
    return _stream_response(queue, "contact_center/supervision_live.html", request)


@requires(PERMISSION)
def wallboard(request: HttpRequest, queue_id: int) -> HttpResponse:
    queue = supervised_queue(request.user, queue_id)
    names = display_names(queue)
    return render(request, "contact_center/wallboard.html", {
        "queue": queue,
        "live_html": render_to_string("contact_center/wallboard_live.html",
                                      live_context(queue, names), request=request)})


@requires(PERMISSION)
def wallboard_stream(request: HttpRequest, queue_id: int) -> HttpResponse:
    queue = supervised_queue(request.user, queue_id)
    return _stream_response(queue, "contact_center/wallboard_live.html", request)


# -- actions -----------------------------------------------------------------------------------
def _agent(queue: Queue, username: str) -> Agent:
    agent = (Agent.objects.filter(queue=queue, user__username=username)
             .select_related("user", "phone").first())
    if agent is None:
        raise ActionError(_("“%(name)s” is not an agent of this queue.") % {"name": username})
    return agent


def agent_channel(agent: Agent) -> str:
    """The channel of the agent's current call (what ChanSpy spies on)."""
    interface = agent.interface
    with live.state.lock:
        up = [c.name for c in live.state.channels.values()
              if c.name.rpartition("-")[0] == interface and c.state == 6]
    if not up and interface:  # the engine may not be fed in this process: ask Asterisk
        from centrex.pbx.ami.sync import run_action_list
        from centrex.pbx.connection import target

        try:
            _resp, chans = run_action_list(target().ami, "CoreShowChannels")
        except Exception:  # AMI down: same answer as no call
            chans = []
        up = [c.get("Channel", "") for c in chans
              if c.get("Channel", "").rpartition("-")[0] == interface
              and c.get("ChannelState") == "6"]
    if not up:
        raise ActionError(_("%(name)s is not in a call.") % {"name": agent.user.display_name})
    return up[0]


def spy(supervisor, agent: Agent, mode: str) -> str:
    """Ring the supervisor's own phone; when answered it listens to the agent's call
    (ChanSpy q: no beep; E: end with the call; w: whisper to the agent; B: barge)."""
    from centrex.pbx.ami.sync import run_action
    from centrex.pbx.connection import target
    from centrex.telephony.models import Phone

    phone = Phone.objects.filter(user=supervisor).order_by("extension").first()
    if phone is None:
        raise ActionError(_("You have no phone to listen on."))
    channel = agent_channel(agent)
    options = "qE" + {"listen": "", "whisper": "w", "barge": "B"}[mode]
    label = {"listen": _("Listen"), "whisper": _("Whisper"), "barge": _("Barge")}[mode]
    try:
        run_action(target().ami, "Originate", Channel=f"PJSIP/{phone.sip_username}",
                   Application="ChanSpy", Data=f"{channel},{options}",
                   CallerID=f'"{label} {agent.user.username}" <{agent.queue.extension}>',
                   Timeout=30000, Async="true")
    except Exception as exc:  # AMI down or refused
        raise ActionError(_("Asterisk refused: %(error)s") % {"error": exc}) from exc
    return channel


def do_action(user, queue: Queue, action: str, data: dict) -> str:
    """Run one supervisor action on ``queue``; returns a message, raises ActionError."""
    if action not in ACTIONS:
        raise ActionError(_("Unknown action."))
    if action == "add":
        return add_agent(user, queue, data.get("user", ""), data.get("penalty", 0))
    agent = _agent(queue, str(data.get("agent", "")))
    name = agent.user.display_name
    if action in ("listen", "whisper", "barge"):
        spy(user, agent, action)
        return _("Your phone rings: answer it to listen to %(name)s.") % {"name": name}
    if action in ("record", "stop-record"):
        from centrex.contact_center import recordings

        try:
            if action == "record":
                recordings.start(agent, by=user)
                return _("Recording the call of %(name)s.") % {"name": name}
            recordings.stop(agent, by=user)
            return _("Recording of %(name)s stopped.") % {"name": name}
        except recordings.RecordingError as exc:
            raise ActionError(str(exc)) from exc
    from centrex.contact_center import agents

    try:
        if action == "pause":
            reason = None
            if data.get("reason"):
                reason = PauseReason.objects.filter(pk=_int(data["reason"])).first()
                if reason is None:
                    raise ActionError(_("Unknown pause reason."))
            agents.pause(agent.user, reason=reason, queue=queue, by=user)
            return _("%(name)s is paused.") % {"name": name}
        if action == "resume":
            agents.resume(agent.user, queue=queue, by=user)
            return _("%(name)s is back.") % {"name": name}
        agents.logout(agent.user, queue, by=user)
        return _("%(name)s is logged out of the queue.") % {"name": name}
    except agents.AgentError as exc:
        raise ActionError(str(exc)) from exc


def _int(value, default: int = -1) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def add_agent(by, queue: Queue, username: str, penalty) -> str:
    from centrex.contact_center import agents

    User = get_user_model()
    user = User.objects.filter(username=username, groups__name=queue.agents_profile).first()
    if user is None:
        raise ActionError(_("Choose an agent of this queue's profile."))
    penalty = _int(penalty)
    if not 0 <= penalty <= 99:
        raise ActionError(_("The penalty is a number from 0 to 99."))
    try:
        agents.login(user, queue, penalty=penalty, by=by)
    except agents.AgentError as exc:
        raise ActionError(str(exc)) from exc
    return _("%(name)s is logged in.") % {"name": user.display_name}


@require_POST
@requires(PERMISSION)
def queue_action(request: HttpRequest, queue_id: int, action: str) -> HttpResponse:
    """A supervisor's action from the page (htmx: the message replaces #action-result)."""
    queue = supervised_queue(request.user, queue_id)
    if action not in ACTIONS:
        raise Http404
    htmx = request.headers.get("HX-Request") == "true"
    try:
        message = do_action(request.user, queue, action, request.POST.dict())
        ok = True
    except ActionError as exc:
        message, ok = str(exc), False
    if htmx:
        return render(request, "contact_center/supervision_result.html",
                      {"message": message, "ok": ok}, status=200 if ok else 400)
    if not request.POST:
        return HttpResponseBadRequest(message)
    (messages.success if ok else messages.error)(request, message)
    return redirect("supervision-queue", queue_id=queue.pk)

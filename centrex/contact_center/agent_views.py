"""The agent's own page, "My queues" (docs/agents.md): log in and out of each of one's
queues on one of one's phones, pause with a reason, resume. Everything goes through
``centrex.contact_center.agents`` (the same rules and the same one-step apply as the API
and the phone codes); a refusal is shown with its reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from centrex.contact_center import agents, scope
from centrex.contact_center.models import Agent, PauseReason, Queue
from centrex.telephony.models import Phone
from centrex.web.access import public, requires


def memberships(user) -> list[dict]:
    """One line per queue of the user's AG profiles (and any queue they are still logged
    in to after leaving its profile, so that they can log out)."""
    rows = {a.queue_id: a for a in Agent.objects.filter(user=user).select_related(
        "queue", "phone", "pause_reason")}
    queues = {q.pk: q for q in scope.agent_queues(user)}
    queues.update({a.queue_id: a.queue for a in rows.values() if a.logged_in})
    lines = []
    for queue in sorted(queues.values(), key=lambda q: q.name):
        agent = rows.get(queue.pk)
        lines.append({"queue": queue, "agent": agent,
                      "logged_in": bool(agent and agent.logged_in),
                      "paused": bool(agent and agent.logged_in and agent.paused),
                      "penalty": agent.penalty if agent else 0})
    return lines


def _queue(request: HttpRequest, user) -> Queue | None:
    allowed = {line["queue"].pk: line["queue"] for line in memberships(user)}
    try:
        return allowed.get(int(request.POST.get("queue", "")))
    except ValueError:
        return None


def _act(request: HttpRequest) -> None:
    user = request.user
    action = request.POST.get("action", "")
    if action == "login":
        queue = _queue(request, user)
        # Any phone: the service refuses someone else's with the reason.
        wanted = request.POST.get("phone", "")
        phone = Phone.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None
        if queue is None:
            raise agents.AgentError(_("Choose one of your queues."))
        agents.login(user, queue, phone=phone, by=user)
        messages.success(request, _("You are logged in to %(queue)s.") % {"queue": queue})
    elif action == "logout":
        queue = _queue(request, user)
        if queue is None:
            raise agents.AgentError(_("Choose one of your queues."))
        agents.logout(user, queue, by=user)
        messages.success(request, _("You are logged out of %(queue)s.") % {"queue": queue})
    elif action == "pause":
        reason = None
        if request.POST.get("reason"):
            reason = PauseReason.objects.filter(pk=request.POST["reason"] if
                                                request.POST["reason"].isdigit() else 0,
                                                active=True).first()
            if reason is None:
                raise agents.AgentError(_("Choose a reason from the list."))
        agents.pause(user, reason, by=user)
        messages.success(request, _("You are paused."))
    elif action == "resume":
        agents.resume(user, by=user)
        messages.success(request, _("Your pause is over."))


@requires("contact_center.work")
def my_queues(request: HttpRequest) -> HttpResponse:
    """My queues: state, phone, penalty; log in/out, pause/resume (POST ``action``)."""
    if request.method == "POST":
        try:
            _act(request)
        except agents.AgentError as exc:
            messages.error(request, exc.message)
        return redirect("agent-queues")
    lines = memberships(request.user)
    return render(request, "contact_center/agent_queues.html", {
        "lines": lines, "phones": agents.own_phones(request.user),
        "reasons": PauseReason.objects.filter(active=True),
        "any_logged_in": any(line["logged_in"] for line in lines),
        "any_paused": any(line["paused"] for line in lines),
    })


@public
@csrf_exempt
@require_POST
def agent_code(request: HttpRequest) -> HttpResponse:
    """Called by Asterisk's dialplan when a phone dials an agent code: the body names the
    channel only; the request and the phone are read from that live channel through AMI."""
    answer = agents.from_phone(request.POST.get("channel", ""))
    return HttpResponse(answer, content_type="text/plain")

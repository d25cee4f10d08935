"""REST API of agents and pauses (docs/agents.md), mounted by centrex/contact_center/api.py.

``/agents/me…``: the caller as an agent (their queues, log in/out, pause, resume).
``/queues/{queue_id}/agents…``: a supervisor on the agents of a queue they supervise (add =
log in, remove = log out, pause, resume, penalty). Everything goes through
``centrex.contact_center.agents``: a refusal is 400 with its reason, Asterisk unreachable 503.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from centrex.api.auth import may
from centrex.api.common import ObjectId, RelatedId, find, responses
from centrex.contact_center import agents, scope
from centrex.contact_center.agent_views import memberships
from centrex.contact_center.models import Agent, PauseReason, Queue
from centrex.core.models import User
from centrex.telephony.models import Phone

router = Router(tags=["agents"])
WORK = "contact_center.work"
SUPERVISE = "contact_center.supervise"


class MembershipOut(Schema):
    queue: int
    queue_name: str
    queue_extension: str
    user: int
    username: str
    penalty: int
    logged_in: bool
    phone: str | None = Field(description="The extension the calls ring on.")
    logged_in_at: datetime.datetime | None
    paused: bool
    pause_reason: str | None
    paused_at: datetime.datetime | None


class ReasonOut(Schema):
    id: int
    name: str
    code: str


class MeOut(Schema):
    memberships: list[MembershipOut]
    reasons: list[ReasonOut] = Field(description="The pause reasons agents may give.")


def _membership(queue: Queue, user, agent: Agent | None) -> dict:
    logged_in = bool(agent and agent.logged_in)
    return {
        "queue": queue.pk, "queue_name": queue.name, "queue_extension": queue.extension,
        "user": user.pk, "username": user.get_username(),
        "penalty": agent.penalty if agent else 0, "logged_in": logged_in,
        "phone": agent.phone.extension if logged_in and agent.phone_id else None,
        "logged_in_at": agent.logged_in_at if logged_in else None,
        "paused": bool(logged_in and agent.paused),
        "pause_reason": agent.pause_reason.name
        if logged_in and agent.paused and agent.pause_reason else None,
        "paused_at": agent.paused_at if logged_in and agent.paused else None,
    }


def _me(user) -> dict:
    return {"memberships": [_membership(line["queue"], user, line["agent"])
                            for line in memberships(user)],
            "reasons": list(PauseReason.objects.filter(active=True))}


def _run(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except agents.AgentError as exc:
        raise HttpError(503 if exc.unavailable else 400, exc.message) from exc


# -- the caller as an agent ----------------------------------------------------------------------
class LoginIn(Schema):
    queue: int = Field(ge=1, le=2**63 - 1)
    phone: RelatedId = Field(None, description="One of your phones; default: the last used.")


class QueueIn(Schema):
    queue: RelatedId = Field(None, description="Empty: all your queues.")


class PauseIn(QueueIn):
    reason: RelatedId = Field(None, description="A pause reason offered to agents.")


def _my_queue(user, queue_id: int | None) -> Queue | None:
    if queue_id is None:
        return None
    allowed = {line["queue"].pk: line["queue"] for line in memberships(user)}
    if queue_id not in allowed:
        raise HttpError(404, _("Not found."))
    return allowed[queue_id]


@router.get("/agents/me", response=responses({200: MeOut}), auth=may(WORK),
            operation_id="get_my_agent_state", summary="My queues and my state in each")
def get_me(request: HttpRequest):
    return _me(request.auth)


@router.post("/agents/me/login", response=responses({200: MeOut}, 400, 403, 503),
             auth=may(WORK), operation_id="agent_login", summary="Log in to one of my queues")
def me_login(request: HttpRequest, body: LoginIn):
    user = request.auth
    queue = _my_queue(user, body.queue)
    phone = None
    if body.phone is not None:
        phone = Phone.objects.filter(pk=body.phone).first()
        if phone is None:
            raise HttpError(404, _("Not found."))
    _run(agents.login, user, queue, phone=phone, by=user)
    return _me(user)


@router.post("/agents/me/logout", response=responses({200: MeOut}, 400, 403, 503),
             auth=may(WORK), operation_id="agent_logout", summary="Log out of my queues")
def me_logout(request: HttpRequest, body: QueueIn):
    user = request.auth
    queue = _my_queue(user, body.queue)
    queues = [queue] if queue else [a.queue for a in Agent.objects.filter(
        user=user, logged_in=True).select_related("queue")]
    for each in queues:
        _run(agents.logout, user, each, by=user)
    return _me(user)


@router.post("/agents/me/pause", response=responses({200: MeOut}, 400, 403, 503),
             auth=may(WORK), operation_id="agent_pause", summary="Pause, with a reason")
def me_pause(request: HttpRequest, body: PauseIn):
    user = request.auth
    queue = _my_queue(user, body.queue)
    reason = None
    if body.reason is not None:
        reason = find(PauseReason.objects.filter(active=True), body.reason)
    _run(agents.pause, user, reason, queue=queue, by=user)
    return _me(user)


@router.post("/agents/me/resume", response=responses({200: MeOut}, 400, 403, 503),
             auth=may(WORK), operation_id="agent_resume", summary="End my pause")
def me_resume(request: HttpRequest, body: QueueIn):
    user = request.auth
    _run(agents.resume, user, queue=_my_queue(user, body.queue), by=user)
    return _me(user)


# -- a supervisor on a queue's agents ------------------------------------------------------------
class AddAgentIn(Schema):
    user: int = Field(ge=1, le=2**63 - 1)
    penalty: int = Field(0, ge=0, le=agents.MAX_PENALTY)
    phone: RelatedId = Field(None, description="One of the agent's phones; default: the "
                                                 "last used, else their first.")


class PenaltyIn(Schema):
    penalty: int = Field(ge=0, le=agents.MAX_PENALTY)


class ReasonIn(Schema):
    reason: RelatedId = None


def _supervised(request: HttpRequest, queue_id: int) -> Queue:
    return find(scope.supervised_queues(request.auth), queue_id)


def _queue_agents(queue: Queue) -> list[dict]:
    rows = Agent.objects.filter(queue=queue).select_related("user", "phone", "pause_reason")
    return [_membership(queue, a.user, a) for a in rows]


def _agent_user(queue: Queue, user_id: int) -> User:
    """A user who is an agent of the queue (a row, or the AG profile)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not (Agent.objects.filter(queue=queue, user=user).exists()
                            or scope.may_work(user, queue)):
        raise HttpError(404, _("Not found."))
    return user


@router.get("/queues/{queue_id}/agents", response=responses({200: list[MembershipOut]}),
            auth=may(SUPERVISE), operation_id="list_queue_agents",
            summary="The agents of a queue I supervise")
def list_agents(request: HttpRequest, queue_id: ObjectId):
    return _queue_agents(_supervised(request, queue_id))


@router.post("/queues/{queue_id}/agents", response=responses({200: MembershipOut}, 400, 403,
                                                                503),
             auth=may(SUPERVISE), operation_id="add_queue_agent",
             summary="Add an agent (log them in) with a penalty")
def add_agent(request: HttpRequest, queue_id: ObjectId, body: AddAgentIn):
    queue = _supervised(request, queue_id)
    user = find(User.objects.all(), body.user)
    phone = None
    if body.phone is not None:
        phone = find(Phone.objects.filter(user=user), body.phone)
    agent = _run(agents.login, user, queue, phone=phone, penalty=body.penalty,
                 by=request.auth)
    return _membership(queue, user, agent)


@router.delete("/queues/{queue_id}/agents/{user_id}", response=responses({204: None}, 400,
                                                                         403, 503),
               auth=may(SUPERVISE), operation_id="remove_queue_agent",
               summary="Remove an agent (log them out)")
def remove_agent(request: HttpRequest, queue_id: ObjectId, user_id: ObjectId):
    queue = _supervised(request, queue_id)
    _run(agents.logout, _agent_user(queue, user_id), queue, by=request.auth)
    return Status(204, None)


@router.patch("/queues/{queue_id}/agents/{user_id}",
              response=responses({200: MembershipOut}, 400, 403, 503), auth=may(SUPERVISE),
              operation_id="set_queue_agent_penalty", summary="Change an agent's penalty")
def set_penalty(request: HttpRequest, queue_id: ObjectId, user_id: ObjectId, body: PenaltyIn):
    queue = _supervised(request, queue_id)
    agent = Agent.objects.filter(queue=queue, user_id=user_id).select_related(
        "user", "queue").first()
    if agent is None:
        raise HttpError(404, _("Not found."))
    agent = _run(agents.set_penalty, agent, body.penalty, by=request.auth)
    return _membership(queue, agent.user, agent)


@router.post("/queues/{queue_id}/agents/{user_id}/pause",
             response=responses({200: MembershipOut}, 400, 403, 503), auth=may(SUPERVISE),
             operation_id="pause_queue_agent", summary="Pause an agent in this queue")
def pause_agent(request: HttpRequest, queue_id: ObjectId, user_id: ObjectId, body: ReasonIn):
    queue = _supervised(request, queue_id)
    user = _agent_user(queue, user_id)
    reason = None
    if body.reason is not None:
        reason = find(PauseReason.objects.filter(active=True), body.reason)
    _run(agents.pause, user, reason, queue=queue, by=request.auth)
    return _membership(queue, user, Agent.objects.get(queue=queue, user=user))


@router.post("/queues/{queue_id}/agents/{user_id}/resume",
             response=responses({200: MembershipOut}, 400, 403, 503), auth=may(SUPERVISE),
             operation_id="resume_queue_agent", summary="End an agent's pause in this queue")
def resume_agent(request: HttpRequest, queue_id: ObjectId, user_id: ObjectId):
    queue = _supervised(request, queue_id)
    user = _agent_user(queue, user_id)
    _run(agents.resume, user, queue=queue, by=request.auth)
    return _membership(queue, user, Agent.objects.filter(queue=queue, user=user).first())

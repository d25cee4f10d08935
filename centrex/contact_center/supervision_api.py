"""REST API of live supervision (docs/supervision.md): a queue's live state, and the
supervisor's actions on its agents. Same rules as the pages: the ``contact_center.supervise``
permission, then the queue must be one the caller supervises (else "not found")."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from centrex.api.auth import may
from centrex.api.common import ObjectId, find, responses
from centrex.contact_center import scope, supervision
from centrex.contact_center.models import Queue
from centrex.pbx import live

router = Router(tags=["supervision"])
PERMISSION = supervision.PERMISSION


class MemberOut(Schema):
    name: str = Field(description="The agent's user name (the queue member's name).")
    interface: str
    penalty: int
    state: str = Field(description="free, ringing, in_call_inbound, in_call_outbound, "
                                   "paused, wrapup, unreachable")
    detail: str
    paused: bool
    reason: str
    since: float = Field(description="Epoch seconds since which the agent is in this state.")
    received: int
    received_time: int
    made: int
    made_time: int


class CallerOut(Schema):
    uniqueid: str
    number: str
    name: str
    position: int
    wait: int


class CountsOut(Schema):
    received: int
    answered: int
    abandoned: int
    answered_in_sl: int
    service_level: int | None = Field(
        description="Percent of received calls answered within the queue's threshold.")
    longest_wait_today: int
    longest_wait_now: int
    waiting: int


class LiveQueueOut(Schema):
    id: int
    queue: str
    synced: bool
    service_level_threshold: int
    members: list[MemberOut]
    callers: list[CallerOut]
    counts: CountsOut


Action = Literal["listen", "whisper", "barge", "record", "stop-record", "pause", "resume",
                 "remove"]


class ActionIn(Schema):
    action: Action
    agent: str = Field(max_length=150, description="The agent's user name.")
    reason: int | None = Field(None, description="Pause reason id (pause only).")


class AddAgentIn(Schema):
    user: str = Field(max_length=150, description="A member of the queue's AG profile.")
    penalty: int = Field(0, ge=0, le=99)


class ActionOut(Schema):
    message: str


def _queue(request: HttpRequest, queue_id: int) -> Queue:
    return find(scope.supervised_queues(request.auth), queue_id)


@router.get("/supervision/queues/{queue_id}", response=responses({200: LiveQueueOut}),
            auth=may(PERMISSION), operation_id="get_live_queue",
            summary="A supervised queue's live state")
def get_live_queue(request: HttpRequest, queue_id: ObjectId):
    """Agents and their states, waiting callers, today's counts (the supervision page's
    data). Out of the caller's queues: not found."""
    queue = _queue(request, queue_id)
    snap = live.state.snapshot(queue.name)
    return {"id": queue.pk, **snap}


@router.post("/supervision/queues/{queue_id}/actions",
             response=responses({200: ActionOut}, 400, 403), auth=may(PERMISSION),
             operation_id="supervise_agent", summary="Act on an agent of a supervised queue")
def act(request: HttpRequest, queue_id: ObjectId, body: ActionIn):
    """listen / whisper / barge (your phone rings, then hears the agent's call), record /
    stop-record the agent's call, pause (with a reason id) / resume, remove from the queue."""
    queue = _queue(request, queue_id)
    try:
        message = supervision.do_action(request.auth, queue, body.action, body.dict())
    except supervision.ActionError as exc:
        raise HttpError(400, str(exc)) from exc
    return {"message": message}


@router.post("/supervision/queues/{queue_id}/agents",
             response=responses({200: ActionOut}, 400, 403), auth=may(PERMISSION),
             operation_id="supervise_add_agent", summary="Log an agent into a supervised queue")
def add_agent(request: HttpRequest, queue_id: ObjectId, body: AddAgentIn):
    queue = _queue(request, queue_id)
    try:
        message = supervision.add_agent(request.auth, queue, body.user, body.penalty)
    except supervision.ActionError as exc:
        raise HttpError(400, str(exc)) from exc
    return {"message": message}

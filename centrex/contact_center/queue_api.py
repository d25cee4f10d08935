"""REST API of the queues and pause reasons (mounted through contact_center/api.py):
``/queues`` and ``/pause-reasons``.

Writes are the administrator's (the model's permissions) and go through
``centrex.contact_center.services``: a queue is applied to Asterisk before the answer (503
when Asterisk refuses: nothing is saved), with its AG/SV profiles. Reads: an administrator
sees every queue; an agent or a supervisor sees only the queues they work in or supervise.
Pause reasons are read by every signed-in user (agents pause with them).
"""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema

from centrex.api.common import assign
from centrex.api.crud import Resource
from centrex.contact_center import scope, services
from centrex.contact_center.models import EMPTY_CONDITIONS, PauseReason, Queue
from centrex.core import roles

router = Router(tags=["queues"])
EXTENSION = {"pattern": "^[0-9]{2,10}$"}
SOUND = {"pattern": r"^([A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*)?$"}
CONDITIONS = ", ".join(value for value, _label in EMPTY_CONDITIONS)


def queues_in_scope(user, queryset: QuerySet) -> QuerySet:
    """Every queue for an administrator; else those the user works in or supervises."""
    if roles.is_admin(user):
        return queryset
    names = [*scope.supervised_queues(user).values_list("name", flat=True),
             *scope.agent_queues(user).values_list("name", flat=True)]
    return queryset.filter(name__in=names)


def reasons_in_scope(user, queryset: QuerySet) -> QuerySet:
    """Every signed-in user reads the reasons (lunch, training...: nothing secret), as
    agents pick one to pause."""
    return queryset


# -- queues ---------------------------------------------------------------------------------
def _enum(choices) -> dict:
    return {"enum": [value for value, _label in choices]}


class QueueIn(Schema):
    name: str = Field(max_length=40, description="The Asterisk queue; also names its "
                      "profiles “AG <name>” (agents) and “SV <name>” (supervisors).",
                      json_schema_extra={"pattern": r"^[A-Za-z][A-Za-z0-9_-]{0,39}$"})
    description: str = Field("", max_length=120)
    extension: str = Field(max_length=10, json_schema_extra=EXTENSION)
    strategy: str = Field("ringall", json_schema_extra=_enum(Queue.STRATEGIES))
    music_on_hold: str = Field("default", max_length=80, json_schema_extra=SOUND)
    agent_announcement: str = Field("", max_length=80, json_schema_extra=SOUND)
    ring_time: int = Field(15, json_schema_extra={"minimum": 5, "maximum": 300})
    retry: int = Field(5, json_schema_extra={"minimum": 0, "maximum": 60})
    wrapup_time: int = Field(0, json_schema_extra={"minimum": 0, "maximum": 3600})
    announce_frequency: int = Field(0, json_schema_extra={"minimum": 0, "maximum": 3600})
    min_announce_frequency: int = Field(15, json_schema_extra={"minimum": 0, "maximum": 3600})
    announce_holdtime: str = Field("no", json_schema_extra=_enum(Queue.HOLDTIME))
    announce_position: str = Field("no", json_schema_extra=_enum(Queue.POSITION))
    max_callers: int = Field(0, description="0: no limit.",
                             json_schema_extra={"minimum": 0, "maximum": 10000})
    max_wait: int = Field(0, description="Seconds; 0: no limit.",
                          json_schema_extra={"minimum": 0, "maximum": 36000})
    overflow: str = Field(Queue.HANGUP, description="When the caller cannot be served "
                          "(maximum wait, queue full, join/leave-when-empty): “hangup”, "
                          "“number” (an internal number) or “voicemail” (a phone's box).",
                          json_schema_extra=_enum(Queue.OVERFLOWS))
    overflow_number: str = Field("", max_length=10)
    schedule: int | None = Field(None, description="Id of the opening hours; outside them "
                                 "callers go to the overflow destination. Null: always open.")
    join_empty: str = Field("", max_length=80, description=f"Comma list among {CONDITIONS}.")
    leave_when_empty: str = Field("", max_length=80,
                                  description=f"Comma list among {CONDITIONS}.")
    service_level: int = Field(60, json_schema_extra={"minimum": 1, "maximum": 3600})
    record: bool = False
    weight: int = Field(0, json_schema_extra={"minimum": 0, "maximum": 100})
    autopause: bool = Field(False, description="Pause an agent after a missed call.")


class QueueOut(Schema):
    id: int
    name: str
    description: str
    extension: str
    strategy: str
    music_on_hold: str
    agent_announcement: str
    ring_time: int
    retry: int
    wrapup_time: int
    announce_frequency: int
    min_announce_frequency: int
    announce_holdtime: str
    announce_position: str
    max_callers: int
    max_wait: int
    overflow: str
    overflow_number: str
    schedule: int | None = Field(None, alias="schedule_id")
    join_empty: str
    leave_when_empty: str
    service_level: int
    record: bool
    weight: int
    autopause: bool
    agents_profile: str
    supervisors_profile: str
    created: datetime.datetime
    updated: datetime.datetime


class Queues(Resource):
    model = Queue
    scope = staticmethod(queues_in_scope)
    schema_in, schema_out = QueueIn, QueueOut
    search = ("name", "extension", "description")
    sorts = ("name", "extension", "created")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> Queue:
        return self.update(request, Queue(), values)

    relations = ("schedule",)

    def update(self, request: HttpRequest, queue: Queue, values: dict) -> Queue:
        assign(queue, values, self.relations)
        return services.save_queue(queue)

    def delete(self, request: HttpRequest, queue: Queue) -> None:
        services.delete_queue(queue)


# -- pause reasons --------------------------------------------------------------------------
class PauseReasonIn(Schema):
    name: str = Field(max_length=40)
    code: str = Field(max_length=2, description="One or two digits, dialled after the pause "
                      "code.", json_schema_extra={"pattern": "^[0-9]{1,2}$"})
    active: bool = Field(True, description="Offered to agents.")


class PauseReasonOut(Schema):
    id: int
    name: str
    code: str
    active: bool


class PauseReasons(Resource):
    model = PauseReason
    scope = staticmethod(reasons_in_scope)
    schema_in, schema_out = PauseReasonIn, PauseReasonOut
    search = ("name", "code")
    sorts = ("code", "name")

    def create(self, request: HttpRequest, values: dict) -> PauseReason:
        return self.update(request, PauseReason(), values)

    def update(self, request: HttpRequest, reason: PauseReason, values: dict) -> PauseReason:
        assign(reason, values)
        return services.save_pause_reason(reason)

    def delete(self, request: HttpRequest, reason: PauseReason) -> None:
        services.delete_pause_reason(reason)


router.add_router("/queues", Queues().register(Router(tags=["queues"])))
router.add_router("/pause-reasons", PauseReasons().register(Router(tags=["pause reasons"])))

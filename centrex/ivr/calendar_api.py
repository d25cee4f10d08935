"""REST API of the calendars part (registered in centrex/api/main.py): ``/schedules``,
``/holidays``, ``/closures``, ``/incidents`` (docs/calendars.md).

Every signed-in caller reads them (the hours and incidents callers live by anyway, and the
applications name them); writing needs the ``ivr.*`` permissions of administrators, and
switching an incident ``core.switch_incidents`` (the ``inc`` profile). A schedule's slots
come with it: a PUT replaces them all.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from centrex.api.auth import may
from centrex.api.common import ObjectId, assign, find, responses
from centrex.api.crud import Resource
from centrex.ivr import calendars
from centrex.ivr.models import Closure, Holiday, Incident, Schedule, TimeSlot

router = Router(tags=["calendars"])


def _everyone(user, queryset: QuerySet) -> QuerySet:
    return queryset


class _Calendar(Resource):
    """Saved and deleted through ``centrex.ivr.calendars`` (applied to Asterisk)."""

    scope = staticmethod(_everyone)
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict):
        return self.update(request, self.model(), values)

    def update(self, request: HttpRequest, obj, values: dict):
        assign(obj, values, self.relations)
        return calendars.save(obj)

    def delete(self, request: HttpRequest, obj) -> None:
        calendars.delete(obj)


# -- opening hours ---------------------------------------------------------------------------
class SlotSchema(Schema):
    weekday: int = Field(ge=0, le=6, description="0 Monday … 6 Sunday.")
    start: datetime.time
    end: datetime.time = Field(description="Exclusive: 12:00 closes at noon.")


class ScheduleIn(Schema):
    name: str = Field(max_length=60)
    department: int | None = Field(None, description="Id of the department, or null.")
    closed_on_holidays: bool = True
    comment: str = Field("", max_length=200)
    slots: list[SlotSchema] = Field(default_factory=list, max_length=100)


class ScheduleOut(Schema):
    id: int
    name: str
    department: int | None = Field(None, alias="department_id")
    closed_on_holidays: bool
    comment: str
    slots: list[SlotSchema]
    state: str = Field(description="Now: open, closed, holiday or closure.")

    @staticmethod
    def resolve_slots(schedule: Schedule) -> list:
        return list(schedule.slots.all()) if schedule.pk else []

    @staticmethod
    def resolve_state(schedule: Schedule) -> str:
        return calendars.state(schedule) if schedule.pk else ""


class Schedules(_Calendar):
    model = Schedule
    schema_in, schema_out = ScheduleIn, ScheduleOut
    search = ("name", "comment")
    sorts = ("name",)
    relations = ("department",)

    def update(self, request: HttpRequest, schedule: Schedule, values: dict) -> Schedule:
        slots = values.pop("slots", None)
        assign(schedule, values, self.relations)
        if slots is None:
            return calendars.save_schedule(schedule)
        made = [TimeSlot(**slot) for slot in slots]
        for i, slot in enumerate(made):
            try:
                slot.clean()
            except ValidationError as error:
                raise ValidationError({"slots": [
                    _("Slot %(n)s: %(error)s") % {"n": i + 1, "error": message}
                    for message in error.messages]}) from error
        return calendars.save_schedule(schedule, made, replace_slots=True)


# -- holidays and closures -------------------------------------------------------------------
class HolidayIn(Schema):
    name: str = Field(max_length=60)
    date: datetime.date
    yearly: bool = Field(False, description="Same day and month every year.")


class HolidayOut(HolidayIn):
    id: int


class Holidays(_Calendar):
    model = Holiday
    schema_in, schema_out = HolidayIn, HolidayOut
    search = ("name",)
    sorts = ("date", "name")


class ClosureIn(Schema):
    reason: str = Field(max_length=100)
    start: datetime.datetime
    end: datetime.datetime
    schedule: int | None = Field(None, description="Id of the opening hours; null: all.")


class ClosureOut(Schema):
    id: int
    reason: str
    start: datetime.datetime
    end: datetime.datetime
    schedule: int | None = Field(None, alias="schedule_id")


class Closures(_Calendar):
    model = Closure
    schema_in, schema_out = ClosureIn, ClosureOut
    search = ("reason",)
    sorts = ("start",)
    relations = ("schedule",)


# -- incidents -------------------------------------------------------------------------------
class IncidentIn(Schema):
    code: str = Field(max_length=20, json_schema_extra={"pattern": "^[A-Z][A-Z0-9_]{0,19}$"})
    name: str = Field(max_length=80)
    number: int = Field(ge=0, le=99, description="Dialled after *72 on a phone.")


class IncidentOut(IncidentIn):
    id: int
    active: bool = Field(description="In progress.")
    changed_at: datetime.datetime | None
    changed_by: int | None = Field(None, alias="changed_by_id")


class SwitchIn(Schema):
    active: bool


class Incidents(_Calendar):
    model = Incident
    schema_in, schema_out = IncidentIn, IncidentOut
    search = ("code", "name")
    sorts = ("number", "code")

    def update(self, request: HttpRequest, incident: Incident, values: dict) -> Incident:
        assign(incident, values)
        return calendars.save_incident(incident)


incident_router = Incidents().register(Router(tags=["incidents"]))


@incident_router.post("/{id}/switch", response=responses({200: IncidentOut}, 403, 503),
                      auth=may(calendars.SWITCH_PERMISSION), operation_id="switch_incident",
                      summary="Switch an incident on or off")
def switch(request: HttpRequest, id: ObjectId, payload: SwitchIn):
    """Takes effect on the next call (an AstDB key, no reload); the journal records it."""
    incident = find(Incidents().visible(request), id)
    return calendars.switch_incident(incident, payload.active, request.auth)


router.add_router("/schedules", Schedules().register(Router(tags=["opening hours"])))
router.add_router("/holidays", Holidays().register(Router(tags=["holidays"])))
router.add_router("/closures", Closures().register(Router(tags=["closures"])))
router.add_router("/incidents", incident_router)

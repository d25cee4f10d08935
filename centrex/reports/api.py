"""REST API of the call log (``/calls``), with the page's scope, filters and masking
(centrex/reports/calllog.py): any signed-in caller, who sees the calls the page shows them."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from centrex.api.auth import may
from centrex.api.common import ObjectId, Page, find, list_query, paginate, responses
from centrex.reports import calllog
from centrex.reports.models import Call

router = Router(tags=["call log"])


class CallOut(Schema):
    id: int
    start: datetime.datetime
    direction: str = Field(description="in, out or internal.")
    state: str = Field(description="answered, voicemail, no_answer, busy or failed.")
    source: str
    source_name: str
    destination: str = Field(description="The number dialled.")
    answered_by: str = Field(description="The extension that answered, if one did.")
    duration: int = Field(description="Talk time in seconds.")
    ring_time: int = Field(description="Seconds before the answer.")
    queue: str
    trunk: str
    uniqueid: str = Field(description="Asterisk's id of the caller's channel.")


CallsQuery = list_query("CallsQuery", ("start", "duration", "source", "destination"))


class CallFilters(Schema):
    number: str = Field("", max_length=30, pattern=r"^[0-9*#+]*$",
                        description="Any part of the source, destination or extension.")
    direction: Literal["", "in", "out", "internal"] = ""
    state: Literal["", "answered", "voicemail", "no_answer", "busy", "failed"] = ""
    since: datetime.date | None = Field(None, description="From this day on.")
    until: datetime.date | None = Field(None, description="Up to this day.")
    time: datetime.time | None = Field(None, description="Started within 30 min of this "
                                                         "time of day.")


def _masked(calls: list[Call]) -> list[Call]:
    mask = calllog.masker()
    for call in calls:
        call.source, call.destination, call.answered_by = calllog.parties(call, mask)
    return calls


@router.get("/calls", response=responses({200: Page[CallOut]}), auth=may(),
            operation_id="list_calls", summary="List calls (the call log)")
def list_calls(request: HttpRequest, query: Query[CallsQuery], filters: Query[CallFilters]):
    """Newest first. Yours; your department's with ``core.view_department_calls``; all with
    ``core.view_all_calls``."""
    time = filters.time.replace(tzinfo=None) if filters.time else None
    rows = calllog.filter_calls(calllog.visible(request.auth), number=filters.number,
                                direction=filters.direction, state=filters.state,
                                since=filters.since, until=filters.until, time=time)
    page = paginate(rows, query, ("source", "destination", "source_name"), "-start")
    page["items"] = _masked(page["items"])
    return page


@router.get("/calls/{id}", response=responses({200: CallOut}), auth=may(),
            operation_id="get_call", summary="Read a call")
def get_call(request: HttpRequest, id: ObjectId):
    return _masked([find(calllog.visible(request.auth), id)])[0]

"""REST API of the recordings (docs/recordings.md), mounted by contact_center/api.py.

Reading and deleting need ``contact_center.view_recording`` / ``delete_recording`` and see
only the recordings of the queues the caller supervises (administrators: all); out of
scope is "not found". The file comes base64-encoded in JSON (``/audio``), so every answer
is JSON. Supervisors start and stop the recording of an agent's current call with
``POST``/``DELETE /queues/{id}/agents/{user_id}/recording`` (their queues only).
"""

import base64
import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from centrex.api.auth import may
from centrex.api.common import MAX_ID, ObjectId, Page, find, list_query, paginate, responses
from centrex.contact_center import recordings, scope
from centrex.contact_center.models import Agent, Queue, Recording
from centrex.contact_center.recording_views import filter_recordings, visible

router = Router(tags=["recordings"])

VIEW = "contact_center.view_recording"


class RecordingOut(Schema):
    id: int
    queue: int | None = Field(description="The queue (null once the queue is deleted).")
    queue_name: str
    agent: int | None = Field(description="The agent's user id.")
    agent_name: str
    recorded_by: int | None = Field(description="The supervisor who recorded on demand; "
                                                "null: the queue records every call.")
    caller: str
    uniqueid: str = Field(description="Asterisk's id of the caller's channel.")
    started_at: datetime.datetime
    duration: int | None = Field(description="Seconds; null while the call goes on.")
    file_exists: bool

    @staticmethod
    def resolve_queue(rec: Recording) -> int | None:
        return rec.queue_id

    @staticmethod
    def resolve_agent(rec: Recording) -> int | None:
        return rec.agent_id

    @staticmethod
    def resolve_recorded_by(rec: Recording) -> int | None:
        return rec.recorded_by_id

    @staticmethod
    def resolve_file_exists(rec: Recording) -> bool:
        return recordings.file_of(rec) is not None


class AudioOut(Schema):
    id: int
    content_type: str
    filename: str
    audio: str | None = Field(description="The WAV file, base64; null if it is gone.")


RecordingsQuery = list_query("RecordingsQuery", ("started_at", "queue_name", "agent_name",
                                                 "duration"))


class RecordingFilters(Schema):
    queue: int | None = Field(None, ge=1, le=MAX_ID, description="Only this queue.")
    agent: int | None = Field(None, ge=1, le=MAX_ID, description="Only this agent (user id).")
    since: datetime.date | None = Field(None, description="From this day on.")
    until: datetime.date | None = Field(None, description="Up to this day.")


@router.get("/recordings", response=responses({200: Page[RecordingOut]}), auth=may(VIEW),
            operation_id="list_recordings", summary="List recordings")
def list_recordings(request: HttpRequest, query: Query[RecordingsQuery],
                    filters: Query[RecordingFilters]):
    """Newest first; those of the queues you supervise (administrators: all)."""
    rows = filter_recordings(visible(request.auth), since=filters.since, until=filters.until)
    if filters.queue is not None:
        rows = rows.filter(queue_id=filters.queue)
    if filters.agent is not None:
        rows = rows.filter(agent_id=filters.agent)
    return paginate(rows, query, ("queue_name", "agent_name", "caller", "uniqueid"),
                    "-started_at")


@router.get("/recordings/{id}", response=responses({200: RecordingOut}), auth=may(VIEW),
            operation_id="get_recording", summary="Read a recording")
def get_recording(request: HttpRequest, id: ObjectId):
    return find(visible(request.auth), id)


@router.get("/recordings/{id}/audio", response=responses({200: AudioOut}), auth=may(VIEW),
            operation_id="get_recording_audio", summary="Download a recording's file")
def get_audio(request: HttpRequest, id: ObjectId):
    """The WAV file, base64; ``audio`` is null when the file is gone."""
    rec = find(visible(request.auth), id)
    path = recordings.file_of(rec)
    return {"id": rec.pk, "content_type": recordings.CONTENT_TYPE,
            "filename": recordings.download_name(rec),
            "audio": base64.b64encode(path.read_bytes()).decode() if path else None}


@router.delete("/recordings/{id}", response=responses({204: None}, 403),
               auth=may("contact_center.delete_recording"), operation_id="delete_recording",
               summary="Delete a recording (file and entry)")
def delete_recording(request: HttpRequest, id: ObjectId):
    """Written in the journal."""
    recordings.remove(find(visible(request.auth), id))
    return Status(204, None)


# -- on demand ------------------------------------------------------------------------------
def _agent(request: HttpRequest, queue_id: int, user_id: int) -> Agent:
    queue = find(Queue.objects.all(), queue_id)
    if not scope.may_supervise(request.auth, queue):
        raise HttpError(404, _("Not found."))
    return _member(queue, user_id)


def _member(queue: Queue, user_id: int) -> Agent:
    agent = (Agent.objects.filter(queue=queue, user_id=user_id)
             .select_related("user", "phone", "queue").first())
    if agent is None:
        raise HttpError(404, _("Not found."))
    return agent


@router.post("/queues/{id}/agents/{user_id}/recording",
             response=responses({201: RecordingOut}, 403, 409),
             auth=may("contact_center.supervise"), operation_id="start_agent_recording",
             summary="Record an agent's current call")
def start_recording(request: HttpRequest, id: ObjectId, user_id: ObjectId):
    """Both directions, until stopped or the call ends; a queue you supervise. 409 when the
    agent is in no call or already recorded."""
    agent = _agent(request, id, user_id)
    try:
        return Status(201, recordings.start(agent, request.auth))
    except recordings.RecordingError as exc:
        raise HttpError(409, str(exc)) from exc


@router.delete("/queues/{id}/agents/{user_id}/recording",
               response=responses({200: RecordingOut}, 403, 409),
               auth=may("contact_center.supervise"), operation_id="stop_agent_recording",
               summary="Stop recording an agent's call")
def stop_recording(request: HttpRequest, id: ObjectId, user_id: ObjectId):
    """Answers the finished recording; 404 when none was running."""
    agent = _agent(request, id, user_id)
    try:
        recording = recordings.stop(agent, request.auth)
    except recordings.RecordingError as exc:
        raise HttpError(409, str(exc)) from exc
    if recording is None:
        raise HttpError(404, _("This agent's call is not being recorded."))
    return recording

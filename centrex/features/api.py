"""REST API of hot desking and conference rooms (mounted by centrex/api/main.py).

Parked calls are live Asterisk state, shown on the Parked calls page only."""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from centrex.api.auth import may
from centrex.api.common import ObjectId, assign, find, responses
from centrex.api.crud import Resource
from centrex.features import services
from centrex.features.models import ConferenceRoom, HotdeskLogin

router = Router(tags=["features"])


# -- conference rooms ------------------------------------------------------------------------
class ConferenceRoomIn(Schema):
    extension: str = Field(max_length=10, json_schema_extra={"pattern": "^[0-9]{2,10}$"})
    name: str = Field(max_length=80)
    pin: str = Field("", max_length=8, json_schema_extra={"pattern": "^([0-9]{4,8})?$"},
                     description="Asked before joining; empty: no PIN.")
    max_members: int = Field(10, json_schema_extra={"minimum": 2, "maximum": 100})


class ConferenceRoomOut(ConferenceRoomIn):
    id: int
    created: datetime.datetime
    updated: datetime.datetime


class ConferenceRooms(Resource):
    """Every signed-in user reads the rooms (to dial them); administrators change them,
    applied to Asterisk in the same transaction."""

    model = ConferenceRoom
    scope = staticmethod(lambda user, qs: qs)
    schema_in, schema_out = ConferenceRoomIn, ConferenceRoomOut
    search = ("extension", "name")
    sorts = ("extension", "name", "created")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> ConferenceRoom:
        room = ConferenceRoom()
        assign(room, values, ())
        return services.save_room(room)

    def update(self, request: HttpRequest, room: ConferenceRoom,
               values: dict) -> ConferenceRoom:
        assign(room, values, ())
        return services.save_room(room)

    def delete(self, request: HttpRequest, room: ConferenceRoom) -> None:
        services.delete_room(room)


rooms_router = Router(tags=["conference rooms"])
ConferenceRooms().register(rooms_router)
router.add_router("/conference-rooms", rooms_router)


# -- hot desking -----------------------------------------------------------------------------
class HotdeskLoginOut(Schema):
    id: int
    desk: int = Field(description="The free-seating phone.")
    desk_extension: str
    extension: str = Field(description="The extension logged in there.")
    user: int | None
    since: datetime.datetime

    @staticmethod
    def resolve_desk(seat: HotdeskLogin) -> int:
        return seat.desk_id

    @staticmethod
    def resolve_desk_extension(seat: HotdeskLogin) -> str:
        return seat.desk.extension

    @staticmethod
    def resolve_extension(seat: HotdeskLogin) -> str:
        return seat.line.extension

    @staticmethod
    def resolve_user(seat: HotdeskLogin) -> int | None:
        return seat.line.user_id


@router.get("/hotdesk-logins", response=responses({200: list[HotdeskLoginOut]}),
            operation_id="list_hotdesk_logins", summary="Who is logged in where")
def list_logins(request: HttpRequest):
    """Administrators: the logins of the extensions in their scope; others: their own."""
    return list(services.logins_visible(request.auth).order_by("desk__extension"))


@router.get("/hotdesk-logins/{id}", response=responses({200: HotdeskLoginOut}),
            operation_id="get_hotdesk_login", summary="Read a hot-desk login")
def get_login(request: HttpRequest, id: ObjectId):
    return find(services.logins_visible(request.auth), id)


@router.delete("/hotdesk-logins/{id}", response=responses({204: None}, 403, 503),
               auth=may(), operation_id="delete_hotdesk_login",
               summary="Log out of a free-seating phone")
def delete_login(request: HttpRequest, id: ObjectId):
    """Your own login; an administrator any login in scope. Applied before the answer:
    calls to the extension ring its own phone again."""
    seat = find(services.logins_visible(request.auth), id)
    if not services.may_logout(request.auth, seat):
        raise HttpError(403, _("Your profile does not allow this."))
    services.logout(seat)
    return Status(204, None)

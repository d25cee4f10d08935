"""REST API of groups (mounted by centrex/api/main.py): ``/ring-groups``, ``/paging-groups``,
``/short-numbers`` and ``/pickup-groups``.

Members are given as extensions, in ringing order. Writes go through
``centrex.groups.services`` and are applied to Asterisk before the answer (503 when Asterisk
refuses: nothing is saved). Ring groups, paging groups and short numbers are read by every
signed-in caller (everyone may dial them, the "Codes to dial" page lists them); writes need
the model's permission. The 64 pickup groups are only renamed.
"""

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from centrex.api.auth import may
from centrex.api.common import ObjectId, assign, find, list_query, paginate, patch_of, responses
from centrex.api.common import Page as PageOf
from centrex.api.crud import Resource
from centrex.groups import services
from centrex.groups.models import PagingGroup, RingGroup, SpeedDial
from centrex.telephony.models import PickupGroup

router = Router(tags=["groups"])
EXTENSION = {"pattern": "^[0-9]{2,10}$"}


def _everyone(user, queryset: QuerySet) -> QuerySet:
    return queryset


# -- ring groups ----------------------------------------------------------------------------
class RingGroupIn(Schema):
    extension: str = Field(max_length=10, json_schema_extra=EXTENSION)
    name: str = Field(max_length=80)
    strategy: str = Field(RingGroup.RING_ALL, description="“all” (ring all) or “order”.",
                          json_schema_extra={"enum": [RingGroup.RING_ALL, RingGroup.IN_ORDER]})
    member_seconds: int = Field(15, description="In order: seconds each member rings.",
                                json_schema_extra={"minimum": 5, "maximum": 120})
    timeout: int = Field(60, description="Seconds before the call goes to the fallback.",
                         json_schema_extra={"minimum": 5, "maximum": 600})
    fallback: str = Field(RingGroup.HANGUP, description="When nobody answers: “hangup”, "
                          "“number” (an internal number) or “voicemail” (a phone's box).",
                          json_schema_extra={"enum": [c for c, _ in RingGroup.FALLBACKS]})
    fallback_number: str = Field("", max_length=10)
    members: list[str] | None = Field(
        None, max_length=services.MAX_MEMBERS,
        description="Extensions of the member phones, in ringing order. Absent: unchanged.")


class RingGroupOut(Schema):
    id: int
    extension: str
    name: str
    strategy: str
    member_seconds: int
    timeout: int
    fallback: str
    fallback_number: str
    members: list[str]
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_members(group: RingGroup) -> list[str]:
        return [p.extension for p in group.ordered_members()] if group.pk else []


class RingGroups(Resource):
    model = RingGroup
    scope = staticmethod(_everyone)
    schema_in, schema_out = RingGroupIn, RingGroupOut
    search = ("extension", "name")
    sorts = ("extension", "name", "created")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> RingGroup:
        return self.update(request, RingGroup(), values)

    def update(self, request: HttpRequest, group: RingGroup, values: dict) -> RingGroup:
        members = values.pop("members", None)
        assign(group, values)
        return services.save_ring_group(group, members)

    def delete(self, request: HttpRequest, group: RingGroup) -> None:
        services.delete(group)


# -- paging groups --------------------------------------------------------------------------
class PagingGroupIn(Schema):
    extension: str = Field(max_length=10, json_schema_extra=EXTENSION)
    name: str = Field(max_length=80)
    members: list[str] | None = Field(
        None, max_length=services.MAX_MEMBERS,
        description="Extensions of the paged phones. Absent: unchanged.")


class PagingGroupOut(Schema):
    id: int
    extension: str
    name: str
    members: list[str]
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_members(group: PagingGroup) -> list[str]:
        return sorted(p.extension for p in group.members.all()) if group.pk else []


class PagingGroups(Resource):
    model = PagingGroup
    scope = staticmethod(_everyone)
    schema_in, schema_out = PagingGroupIn, PagingGroupOut
    search = ("extension", "name")
    sorts = ("extension", "name", "created")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> PagingGroup:
        return self.update(request, PagingGroup(), values)

    def update(self, request: HttpRequest, group: PagingGroup, values: dict) -> PagingGroup:
        members = values.pop("members", None)
        assign(group, values)
        return services.save_paging_group(group, members)

    def delete(self, request: HttpRequest, group: PagingGroup) -> None:
        services.delete(group)


# -- short numbers --------------------------------------------------------------------------
class SpeedDialIn(Schema):
    code: str = Field(max_length=5, description="*0 and 2 or 3 digits.",
                      json_schema_extra={"pattern": r"^\*0[0-9]{2,3}$"})
    name: str = Field(max_length=80)
    number: str = Field(max_length=21, description="Dialled as if the phone dialled it.",
                        json_schema_extra={"pattern": r"^\+?[0-9]{2,20}$"})


class SpeedDialOut(SpeedDialIn):
    id: int
    created: datetime.datetime
    updated: datetime.datetime


class SpeedDials(Resource):
    model = SpeedDial
    scope = staticmethod(_everyone)
    schema_in, schema_out = SpeedDialIn, SpeedDialOut
    search = ("code", "name", "number")
    sorts = ("code", "name", "number", "created")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> SpeedDial:
        return self.update(request, SpeedDial(), values)

    def update(self, request: HttpRequest, dial: SpeedDial, values: dict) -> SpeedDial:
        assign(dial, values)
        return services.save_speed_dial(dial)

    def delete(self, request: HttpRequest, dial: SpeedDial) -> None:
        services.delete(dial)


router.add_router("/ring-groups", RingGroups().register(Router(tags=["ring groups"])))
router.add_router("/paging-groups", PagingGroups().register(Router(tags=["paging groups"])))
router.add_router("/short-numbers", SpeedDials().register(Router(tags=["short numbers"])))


# -- pickup groups: the 64 always exist; only their name and description change -------------
class PickupGroupIn(Schema):
    name: str = Field("", max_length=40)
    description: str = Field("", max_length=120)


class PickupGroupOut(PickupGroupIn):
    id: int
    number: int = Field(description="Asterisk's group number, 0 to 63.")
    calls: list[str] = Field(description="Extensions of the phones in this call group.")
    pickup: list[str] = Field(description="Extensions of the phones that pick up its calls.")

    @staticmethod
    def resolve_calls(group: PickupGroup) -> list[str]:
        return sorted(group.calling_phones.values_list("extension", flat=True))

    @staticmethod
    def resolve_pickup(group: PickupGroup) -> list[str]:
        return sorted(group.picking_phones.values_list("extension", flat=True))


pickup = Router(tags=["pickup groups"])
PickupQuery = list_query("PickupGroupListQuery", ("number", "name"))
VIEW_PICKUP, CHANGE_PICKUP = "telephony.view_pickupgroup", "telephony.change_pickupgroup"


def _pickup_groups(request: HttpRequest) -> QuerySet:
    PickupGroup.ensure_all()
    return PickupGroup.objects.all()


@pickup.get("", response=responses({200: PageOf[PickupGroupOut]}), auth=may(VIEW_PICKUP),
            operation_id="list_pickupgroups", summary="List the 64 pickup groups")
def list_pickup_groups(request: HttpRequest, query: Query[PickupQuery]):
    """Named or not, every group (they cannot be created or deleted)."""
    return paginate(_pickup_groups(request), query, ("name", "description"), "number")


@pickup.get("/{id}", response=responses({200: PickupGroupOut}), auth=may(VIEW_PICKUP),
            operation_id="get_pickupgroup", summary="Read a pickup group")
def get_pickup_group(request: HttpRequest, id: ObjectId):
    return find(_pickup_groups(request), id)


def _rename(request: HttpRequest, id: int, values: dict) -> PickupGroup:
    group = find(_pickup_groups(request), id)
    assign(group, values)
    return services.save_pickup_group(group)


@pickup.put("/{id}", response=responses({200: PickupGroupOut}, 400, 403),
            auth=may(CHANGE_PICKUP), operation_id="replace_pickupgroup",
            summary="Name a pickup group")
def replace_pickup_group(request: HttpRequest, id: ObjectId, payload: PickupGroupIn):
    return _rename(request, id, payload.dict())


@pickup.patch("/{id}", response=responses({200: PickupGroupOut}, 400, 403),
              auth=may(CHANGE_PICKUP), operation_id="update_pickupgroup",
              summary="Change a pickup group's name or description")
def update_pickup_group(request: HttpRequest, id: ObjectId, payload: patch_of(PickupGroupIn)):
    return _rename(request, id, payload.dict(exclude_unset=True))


router.add_router("/pickup-groups", pickup)

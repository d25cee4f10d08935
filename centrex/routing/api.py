"""REST API of routing (mounted by centrex/api/main.py): ``/trunks``, ``/routes`` and
``/inbound-numbers``, for administrators: reading and writing need the model's permissions
(``routing.view_trunk``...; 403 otherwise).

A trunk's password is write-only: sent on creation or to change it, never returned
(``has_password`` says whether one is stored; an empty or absent password keeps it). A
route's trunks are given by name, in failover order. Writes are applied to Asterisk before
the answer (503 when Asterisk refuses: nothing is saved).
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from centrex.api.common import assign
from centrex.api.crud import AdminResource, administrators
from centrex.routing import services
from centrex.routing.models import CODECS, DESTINATIONS, InboundNumber, Route, Trunk

router = Router(tags=["routing"])


# -- trunks ----------------------------------------------------------------------------------
class TrunkIn(Schema):
    name: str = Field(max_length=31, description="Lowercase letters, digits, dashes.")
    host: str = Field(max_length=253)
    port: int = Field(5060, json_schema_extra={"minimum": 1, "maximum": 65535})
    transport: str = Field("udp", json_schema_extra={"enum": ["udp", "tcp"]})
    auth_mode: str = Field("registration", description="“registration” (user name and "
                           "password) or “address” (identified by the operator's IP).",
                           json_schema_extra={"enum": ["registration", "address"]})
    username: str = Field("", max_length=64)
    password: str = Field("", max_length=80, description="Write-only. Empty: unchanged.")
    match: str = Field("", max_length=500, description="Operator addresses, comma-separated "
                       "(IP, network, optional :port). Empty: host and port.")
    codecs: str = Field("alaw,ulaw", max_length=60,
                        description=f"In order of preference, among {', '.join(CODECS)}.")
    max_channels: int = Field(0, description="0: no limit.",
                              json_schema_extra={"minimum": 0, "maximum": 10000})
    default_caller_id: str = Field("", max_length=21)


class TrunkOut(Schema):
    id: int
    name: str
    host: str
    port: int
    transport: str
    auth_mode: str
    username: str
    has_password: bool
    match: str
    codecs: str
    max_channels: int
    default_caller_id: str

    @staticmethod
    def resolve_has_password(trunk: Trunk) -> bool:
        return bool(trunk.password)


class Trunks(AdminResource):
    model = Trunk
    scope = administrators("routing.view_trunk")
    schema_in, schema_out = TrunkIn, TrunkOut
    search = ("name", "host", "username")
    sorts = ("name", "host")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> Trunk:
        return self.update(request, Trunk(), values)

    def update(self, request: HttpRequest, trunk: Trunk, values: dict) -> Trunk:
        password = values.pop("password", "")
        assign(trunk, values)
        return services.save_trunk(trunk, password or None)

    def delete(self, request: HttpRequest, trunk: Trunk) -> None:
        services.delete(trunk)


# -- routes ----------------------------------------------------------------------------------
class RouteIn(Schema):
    name: str = Field(max_length=60)
    pattern: str = Field(max_length=60, description="Digits, X (0-9), Z (1-9), N (2-9), "
                         "[1-5], optional final . (more digits), e.g. 0Z.")
    strip: int = Field(0, json_schema_extra={"minimum": 0, "maximum": 20})
    prepend: str = Field("", max_length=20)
    trunks: list[str] | None = Field(None, max_length=4, description="Trunk names, in "
                                     "failover order. Absent: unchanged.")


class RouteOut(Schema):
    id: int
    name: str
    pattern: str
    strip: int
    prepend: str
    trunks: list[str]

    @staticmethod
    def resolve_trunks(route: Route) -> list[str]:
        return [t.name for t in route.ordered_trunks()] if route.pk else []


def _trunks_named(names: list[str]) -> list[Trunk]:
    found = {t.name: t for t in Trunk.objects.filter(name__in=names)}
    missing = [n for n in names if n not in found]
    if missing:
        raise HttpError(400, _("Unknown trunks: %(names)s") % {"names": ", ".join(missing)})
    return [found[n] for n in names]


class Routes(AdminResource):
    model = Route
    scope = administrators("routing.view_route")
    schema_in, schema_out = RouteIn, RouteOut
    search = ("name", "pattern")
    sorts = ("pattern", "name")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> Route:
        return self.update(request, Route(), values)

    def update(self, request: HttpRequest, route: Route, values: dict) -> Route:
        names = values.pop("trunks", None)
        if names is not None:
            trunks = _trunks_named(names)
        else:
            trunks = route.ordered_trunks() if route.pk else []
        assign(route, values)
        return services.save_route(route, trunks)

    def delete(self, request: HttpRequest, route: Route) -> None:
        services.delete(route)


# -- inbound numbers -------------------------------------------------------------------------
class InboundNumberIn(Schema):
    number: str = Field(max_length=21, json_schema_extra={"pattern": r"^\+?[0-9]{3,20}$"})
    destination: str = Field("extension", description="“extension” (any internal number) "
                             "or “voicemail” (a phone's box).",
                             json_schema_extra={"enum": [c for c, _label in DESTINATIONS]})
    target: str = Field(max_length=10, description="The internal number (an extension).")
    description: str = Field("", max_length=80)


class InboundNumberOut(Schema):
    id: int
    number: str
    destination: str
    target: str
    description: str


class InboundNumbers(AdminResource):
    model = InboundNumber
    scope = administrators("routing.view_inboundnumber")
    schema_in, schema_out = InboundNumberIn, InboundNumberOut
    search = ("number", "target", "description")
    sorts = ("number", "target")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> InboundNumber:
        return self.update(request, InboundNumber(), values)

    def update(self, request: HttpRequest, did: InboundNumber, values: dict) -> InboundNumber:
        assign(did, values)
        return services.save_inbound_number(did)

    def delete(self, request: HttpRequest, did: InboundNumber) -> None:
        services.delete(did)


router.add_router("/trunks", Trunks().register(Router(tags=["trunks"])))
router.add_router("/routes", Routes().register(Router(tags=["routes"])))
router.add_router("/inbound-numbers", InboundNumbers().register(Router(tags=["inbound numbers"])))

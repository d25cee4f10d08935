"""REST API of the applications part (registered in centrex/api/main.py):
``/applications`` (with ``/{id}/scenario``, ``/{id}/export``, ``/{id}/flow``, ``/import``)
and ``/web-services`` (docs/applications.md).

Applications are administrators' objects (``ivr.*_application``); a scenario is saved only
through ``application_services.save_scenario``: a PUT of an invalid scenario is a 400 whose
``errors`` name the block, the action and the field, and nothing changes.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from centrex.api.auth import may
from centrex.api.common import ObjectId, assign, find, responses
from centrex.api.crud import AdminResource, administrators
from centrex.ivr import application_services as services
from centrex.ivr import flow_image
from centrex.ivr.models import Application, WebService
from centrex.ivr.scenario import ScenarioError

router = Router(tags=["applications"])


class ApplicationIn(Schema):
    name: str = Field(max_length=60)
    number: str = Field(max_length=10, description="Internal number.")
    public_numbers: list[str] = Field(default_factory=list, max_length=50,
                                      description="Inbound numbers (DIDs) led to it.")
    active: bool = True
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    call_rights: str = Field("local,mobile", max_length=60)
    comment: str = Field("", max_length=2000)


class ApplicationOut(Schema):
    id: int
    name: str
    number: str
    public_numbers: list[str]
    active: bool
    start: datetime.datetime | None
    end: datetime.datetime | None
    call_rights: str
    comment: str
    revision: int

    @staticmethod
    def resolve_public_numbers(app: Application) -> list[str]:
        return services.public_numbers(app)


class ScenarioIO(Schema):
    blocks: list[dict[str, Any]] = Field(description="See docs/applications.md.")


class ExportIO(Schema):
    format: str = Field(services.FORMAT, description="Always “centrex-application”.")
    version: int = 1
    application: dict[str, Any] = Field(description="name, number, public_numbers, active, "
                                        "start, end, call_rights, comment.")
    scenario: dict[str, Any] = Field(description="Blocks with names instead of ids.")


class Applications(AdminResource):
    model = Application
    scope = administrators("ivr.view_application")
    schema_in, schema_out = ApplicationIn, ApplicationOut
    search = ("name", "number", "comment")
    sorts = ("name", "number")
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> Application:
        return self.update(request, Application(), values)

    def update(self, request: HttpRequest, app: Application, values: dict) -> Application:
        numbers = values.pop("public_numbers", None)
        assign(app, values)
        return services.save_application(app, numbers)

    def delete(self, request: HttpRequest, app: Application) -> None:
        services.delete_application(app)


applications = Router(tags=["applications"])


@applications.post("/import", response=responses({201: ApplicationOut}, 400, 403, 503),
                   auth=may("ivr.add_application"), operation_id="import_application",
                   summary="Import an exported application")
def import_application(request: HttpRequest, payload: ExportIO):
    """Creates it, or replaces the application with the same name; all or nothing."""
    try:
        return Status(201, services.import_application(payload.dict(), request.auth))
    except ScenarioError as exc:
        raise _scenario_error(exc) from exc


Applications().register(applications)


def _scenario_error(exc: ScenarioError) -> Exception:
    from django.core.exceptions import ValidationError

    # The API's ValidationError handler answers 400 with {"errors": {field: [messages]}}.
    return ValidationError({"scenario": services.describe_errors(exc.errors)})


@applications.get("/{id}/scenario", response=responses({200: ScenarioIO}, 403),
                  auth=may("ivr.view_application"), operation_id="get_application_scenario",
                  summary="Read an application's scenario")
def get_scenario(request: HttpRequest, id: ObjectId):
    return find(Application.objects.all(), id).scenario


@applications.put("/{id}/scenario", response=responses({200: ScenarioIO}, 400, 403, 503),
                  auth=may("ivr.change_application"), operation_id="put_application_scenario",
                  summary="Replace an application's scenario (a new revision)")
def put_scenario(request: HttpRequest, id: ObjectId, payload: ScenarioIO):
    """Errors name the block, the action (from 1) and the field."""
    app = find(Application.objects.all(), id)
    try:
        return services.save_and_apply(app, payload.dict(), request.auth).scenario
    except ScenarioError as exc:
        raise _scenario_error(exc) from exc


@applications.get("/{id}/export", response=responses({200: ExportIO}, 403),
                  auth=may("ivr.view_application"), operation_id="export_application",
                  summary="Export an application (JSON, names instead of ids)")
def export(request: HttpRequest, id: ObjectId):
    return services.export_application(find(Application.objects.all(), id))


class FlowOut(Schema):
    svg: str = Field(description="The flow image (SVG), as on the page.")


@applications.get("/{id}/flow", response=responses({200: FlowOut}, 403),
                  auth=may("ivr.view_application"), operation_id="application_flow",
                  summary="The flow of an application as an SVG image")
def flow(request: HttpRequest, id: ObjectId):
    return {"svg": flow_image.render(find(Application.objects.all(), id))}


# -- web services -----------------------------------------------------------------------------
class WebServiceIn(Schema):
    name: str = Field(max_length=30, json_schema_extra={"pattern": "^[a-z][a-z0-9_-]{0,29}$"})
    url: str = Field(max_length=200)
    timeout: int = Field(3, ge=1, le=30, description="Seconds.")
    comment: str = Field("", max_length=200)


class WebServiceOut(WebServiceIn):
    id: int


class WebServices(AdminResource):
    model = WebService
    scope = administrators("ivr.view_webservice")
    schema_in, schema_out = WebServiceIn, WebServiceOut
    search = ("name", "url")
    sorts = ("name",)
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> WebService:
        return self.update(request, WebService(), values)

    def update(self, request: HttpRequest, service: WebService, values: dict) -> WebService:
        assign(service, values)
        return services.save_webservice(service)

    def delete(self, request: HttpRequest, service: WebService) -> None:
        services.delete_webservice(service)


router.add_router("/applications", applications)
router.add_router("/web-services", WebServices().register(Router(tags=["web services"])))

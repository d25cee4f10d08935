"""REST API of the call rights (mounted by centrex/api/main.py): settings and a classify
helper. Phones' own rights are fields of the phone resource (``right_*``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema

from centrex.api.auth import may
from centrex.api.common import responses
from centrex.rights import numbers, services

router = Router(tags=["rights"])
VIEW, CHANGE = "rights.view_rightssettings", "rights.change_rightssettings"


class RightsSettingsIn(Schema):
    home_country: str = Field("FR", description="ISO code numbers are classified against.",
                              json_schema_extra={"pattern": "^[A-Z]{2}$"})
    allowed_countries: list[str] = Field(
        default_factory=list, description="ISO codes of the countries international calls "
        "may reach (countries sharing a calling code are allowed together).")
    emergency_numbers: list[str] = Field(
        ..., min_length=1, description="Always allowed, from any phone.",
        json_schema_extra={"items": {"type": "string", "pattern": "^[0-9]{2,8}$"}})


class RightsSettingsOut(RightsSettingsIn):
    pass


class ClassifyIn(Schema):
    number: str = Field(..., min_length=1, max_length=30)


class ClassifyOut(Schema):
    number: str
    number_class: str = Field(description="emergency, internal, services, local, mobile, "
                              "international or unknown (refused to every phone).")
    country: str = Field("", description="ISO code of an international number.")
    country_allowed: bool = Field(False, description="An international number's country is "
                                  "in the allowed countries.")


@router.get("/call-rights", response=responses({200: RightsSettingsOut}, 403),
            auth=may(VIEW), operation_id="get_rights_settings",
            summary="Read the call rights settings")
def get_settings(request: HttpRequest):
    return services.current()


@router.put("/call-rights", response=responses({200: RightsSettingsOut}, 400, 403, 503),
            auth=may(CHANGE), operation_id="replace_rights_settings",
            summary="Change the call rights settings")
def put_settings(request: HttpRequest, payload: RightsSettingsIn):
    """Applied to Asterisk before the answer (the dialplan checks every call)."""
    return services.update_settings(**payload.dict())


@router.post("/call-rights/classify", response=responses({200: ClassifyOut}, 403),
             auth=may(VIEW), operation_id="classify_number",
             summary="Tell the class of a dialled number")
def classify(request: HttpRequest, query: ClassifyIn):
    """Changes nothing (a POST so the number travels in the body, not in logs of URLs)."""
    settings = services.current()
    result = services.classify(query.number, settings)
    return {"number": numbers.normalize(query.number), "number_class": result.number_class,
            "country": result.country,
            "country_allowed": result.country_code in
            numbers.country_codes(settings["allowed_countries"])}

"""REST API of the telephony app: phones and their forwards (mounted by centrex/api/main.py).

Every write is applied to Asterisk inside its transaction, like ``centrex phone create``:
if Asterisk does not take it, nothing is saved (503). The SIP password is generated, shown
in the answer that creates or regenerates it, and never again (only its hash is kept).
"""

import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from centrex.api.auth import may
from centrex.api.common import ObjectId, RelatedId, assign, find, patch_of, responses
from centrex.api.crud import Resource
from centrex.core import roles
from centrex.pbx.connection import target
from centrex.telephony import forwards, services
from centrex.telephony.models import Phone

router = Router(tags=["phones"])


GroupNumber = Annotated[int, Field(ge=0, le=63)]


# The grammar is documented in the schema but checked by the model, so that the API and the
# pages refuse a value with the same (translated) message.
class PhoneIn(Schema):
    extension: str = Field(max_length=10, json_schema_extra={"pattern": "^[0-9]{2,10}$"})
    name: str = Field(max_length=80, description="Caller name.")
    user: RelatedId = None
    ring_timeout: int = Field(20, description="Seconds before voicemail.",
                              json_schema_extra={"minimum": 5, "maximum": 300})
    voicemail_enabled: bool = True
    voicemail_pin: str | None = Field(
        None, max_length=8, json_schema_extra={"pattern": "^[0-9]{4,8}$"},
        description="Never returned. Absent: unchanged; a new phone gets a random one.")
    right_internal: bool = True
    right_services: bool = False
    right_local: bool = Field(True, description="Local and national numbers.")
    right_mobile: bool = True
    right_international: bool = Field(
        False, description="Only to the allowed countries. Emergency numbers: always.")
    call_groups: list[GroupNumber] | None = Field(
        None, max_length=64, description="Call group numbers (0-63). Absent: unchanged.")
    pickup_groups: list[GroupNumber] | None = Field(
        None, max_length=64, description="Pickup group numbers (0-63). Absent: unchanged.")
    hotdesk: bool = Field(False, description="Free seating (log in with *77*<ext>*).")


class PhoneOut(Schema):
    id: int
    extension: str
    name: str
    user: int | None
    sip_username: str
    ring_timeout: int
    voicemail_enabled: bool
    right_internal: bool
    right_services: bool
    right_local: bool
    right_mobile: bool
    right_international: bool
    call_groups: list[int]
    pickup_groups: list[int]
    hotdesk: bool
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_user(phone: Phone) -> int | None:
        return phone.user_id

    @staticmethod
    def resolve_call_groups(phone: Phone) -> list[int]:
        return sorted(g.number for g in phone.call_groups.all()) if phone.pk else []

    @staticmethod
    def resolve_pickup_groups(phone: Phone) -> list[int]:
        return sorted(g.number for g in phone.pickup_groups.all()) if phone.pk else []


class SipCredentials(Schema):
    """What a phone needs to register; the password is shown this once."""

    sip_username: str
    sip_password: str
    sip_host: str
    sip_port: int


class PhoneCreated(PhoneOut, SipCredentials):
    pass


def _with_credentials(phone: Phone, password: str) -> Phone:
    tgt = target()
    phone.sip_password, phone.sip_host, phone.sip_port = password, tgt.sip_host, tgt.sip_port
    return phone


class Phones(Resource):
    """Written through the service layer, which applies each change in its transaction."""

    model = Phone
    scope = staticmethod(roles.phones_in_scope)
    schema_in, schema_out, created_out = PhoneIn, PhoneOut, PhoneCreated
    search = ("extension", "name", "sip_username")
    sorts = ("extension", "name", "created")
    relations = ("user",)
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> Phone:
        groups = _groups(values)
        phone = _checked(Phone(), values)
        return _with_credentials(phone, services.create_phone(phone, groups))

    def update(self, request: HttpRequest, phone: Phone, values: dict) -> Phone:
        groups = _groups(values)
        services.update_phone(_checked(phone, values), groups=groups)
        return phone

    def delete(self, request: HttpRequest, phone: Phone) -> None:
        services.delete_phone(phone)


def _groups(values: dict) -> dict[str, list[int]]:
    """Take the group numbers out of the values (saved after the phone, by the services)."""
    return {name: values.pop(name, None) for name in ("call_groups", "pickup_groups")}


def _checked(phone: Phone, values: dict) -> Phone:
    """Set the values and validate every field, the user included (the services leave it
    out because a page may create the user in the same step)."""
    if values.get("voicemail_pin") is None:
        values.pop("voicemail_pin", None)  # unchanged (or the new phone's random one)
    assign(phone, values, Phones.relations)
    phone.full_clean(exclude=["sip_ha1"])  # generated by the service
    return phone


phones = Phones()
phones.register(router)


@router.post("/{id}/secret", response=responses({200: SipCredentials}, 403, 503),
             auth=may(phones.permission("change")), operation_id="regenerate_phone_secret",
             summary="Give a phone a new SIP password")
def regenerate_secret(request: HttpRequest, id: ObjectId):
    """The phone must register again with the new password, shown in this answer only."""
    phone = find(phones.visible(request), id)
    return _with_credentials(phone, services.regenerate_sip_secret(phone))


# -- forwards and do-not-disturb (docs/forwards.md) -----------------------------------------
DESTINATION = {"pattern": r"^(\+?[0-9]{2,20}|voicemail)?$"}


class ForwardsIn(Schema):
    """A destination is an extension, ``voicemail`` (the phone's own box) or empty (off)."""

    dnd: bool = Field(False, description="Do not disturb.")
    forward_always: str = Field("", max_length=21, json_schema_extra=DESTINATION,
                                description="Immediate forward.")
    forward_busy: str = Field("", max_length=21, json_schema_extra=DESTINATION)
    forward_no_answer: str = Field("", max_length=21, json_schema_extra=DESTINATION)
    forward_no_answer_delay: int = Field(
        15, description="Seconds of ringing before the forward on no answer.",
        json_schema_extra={"minimum": 5, "maximum": 120})


class ForwardsOut(ForwardsIn):
    phone: int
    extension: str

    @staticmethod
    def resolve_phone(phone: Phone) -> int:
        return phone.pk


def _set_forwards(request: HttpRequest, id: int, values: dict) -> Phone:
    phone = find(phones.visible(request), id)
    if not forwards.may_edit(request.auth, phone):
        raise HttpError(403, _("Your profile does not allow this."))
    return forwards.update_forwards(phone, values, request.auth)


@router.get("/{id}/forwards", response=responses({200: ForwardsOut}),
            operation_id="get_phone_forwards", summary="Read a phone's forwards")
def get_forwards(request: HttpRequest, id: ObjectId):
    """Any phone in the caller's scope."""
    return find(phones.visible(request), id)


@router.put("/{id}/forwards", response=responses({200: ForwardsOut}, 400, 403, 409, 503),
            operation_id="replace_phone_forwards", summary="Set a phone's forwards")
def replace_forwards(request: HttpRequest, id: ObjectId, payload: ForwardsIn):
    """Your own phones; an administrator (``telephony.change_phone``) any phone in scope
    (another phone in scope: 403). Fields left out are switched off. Applied to Asterisk
    before the answer."""
    return _set_forwards(request, id, payload.dict())


@router.patch("/{id}/forwards",
              response=responses({200: ForwardsOut}, 400, 403, 409, 503),
              operation_id="update_phone_forwards", summary="Change some of a phone's forwards")
def update_forwards(request: HttpRequest, id: ObjectId, payload: patch_of(ForwardsIn)):
    """Only the fields sent are changed."""
    return _set_forwards(request, id, payload.dict(exclude_unset=True))

"""REST API of the directory: contacts (mounted at ``/contacts`` by centrex/api/main.py).

The rules are the pages' (``centrex.directory.services``): every signed-in caller lists the
shared contacts and their own private ones and may create private contacts; a private
contact is read and changed by its creator only (for anybody else it does not exist: 404);
shared contacts are created, changed and deleted by holders of ``directory.change_contact``
(403 for the others). Internal users are in ``/users``.
"""

import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from centrex.api.common import assign, save
from centrex.api.crud import Resource
from centrex.directory.models import Contact
from centrex.directory.services import may_change, may_manage_shared, visible_contacts


class ContactIn(Schema):
    first_name: str = Field("", max_length=60)
    last_name: str = Field("", max_length=60)
    company: str = Field("", max_length=80)
    number1: str = Field("", max_length=40, description="Digits, optional leading +.")
    number2: str = Field("", max_length=40)
    number3: str = Field("", max_length=40)
    private: bool = Field(True, description="Seen and changed by its creator only. Shared "
                          "contacts (false) need the directory.change_contact permission.")


class ContactOut(Schema):
    id: int
    first_name: str
    last_name: str
    company: str
    number1: str
    number2: str
    number3: str
    private: bool
    owner: int | None
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_owner(contact: Contact) -> int | None:
        return contact.owner_id


def _no_shared(request: HttpRequest, contact: Contact) -> None:
    if not contact.private and not may_manage_shared(request.auth):
        raise HttpError(403, _("Only the people who manage shared contacts may do this."))


class Contacts(Resource):
    model = Contact
    scope = staticmethod(visible_contacts)
    schema_in, schema_out = ContactIn, ContactOut
    search = ("last_name", "first_name", "company", "number1", "number2", "number3")
    sorts = ("last_name", "first_name", "company", "number1", "created", "updated")

    def permission(self, action: str) -> str | None:
        return None  # every signed-in caller; the rules are checked per contact below

    def create(self, request: HttpRequest, values: dict) -> Contact:
        contact = Contact(owner=request.auth)
        assign(contact, values)
        _no_shared(request, contact)
        return save(contact)

    def update(self, request: HttpRequest, contact: Contact, values: dict) -> Contact:
        _no_shared(request, contact)
        if not may_change(request.auth, contact):
            raise HttpError(403, _("Only its creator may change a private contact."))
        assign(contact, values)
        _no_shared(request, contact)
        return save(contact)

    def delete(self, request: HttpRequest, contact: Contact) -> None:
        _no_shared(request, contact)
        contact.delete()


router = Contacts().register(Router(tags=["contacts"]))

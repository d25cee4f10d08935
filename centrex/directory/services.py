"""The directory's rules, in one place for the pages, the API and the phone books.

- Everyone signed in sees the internal users (one row per phone, read-only) and the
  shared contacts, plus their own private contacts.
- Everyone may create private contacts and change or delete their own private contacts.
- Shared contacts are managed by holders of ``directory.change_contact`` (the
  administrator profile): create, change, delete, make shared, import shared.

``entries`` merges internal users and contacts in one SQL ``UNION ALL`` that the list
helper of ``centrex.web.lists`` sorts, searches and pages like any queryset.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from centrex.core.validators import FORBIDDEN_IN_NAMES
from centrex.directory.models import Contact, validate_number
from centrex.telephony.models import Phone

MANAGE = "directory.change_contact"
CONTACT, INTERNAL = "contact", "user"
RING_SECONDS = 30  # how long the user's own phone rings before Centrex gives up


# -- who may see and change what ---------------------------------------------------------
def visible_contacts(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Contact.objects.all() if queryset is None else queryset
    return queryset.filter(Q(private=False) | Q(private=True, owner=user.pk))


def may_manage_shared(user) -> bool:
    return user.has_perm(MANAGE)


def may_change(user, contact: Contact | Entry) -> bool:
    """May ``user`` change or delete this contact (a model or a row of the list)?"""
    if isinstance(contact, Entry):
        if contact.internal:
            return False
        private, owner = contact.is_private, contact.owner_ref
    else:
        private, owner = contact.private, contact.owner_id
    return owner == user.pk if private else may_manage_shared(user)


# -- the merged list -----------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One row of the directory: a contact, or an internal user's phone."""

    kind: str
    ref: int
    first: str
    last: str
    org: str
    num1: str
    num2: str
    num3: str
    is_private: bool
    owner_ref: int | None

    @property
    def numbers(self) -> list[str]:
        return [n for n in (self.num1, self.num2, self.num3) if n]

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first, self.last) if p) or self.org

    @property
    def internal(self) -> bool:
        return self.kind == INTERNAL


COLUMNS = tuple(f.name for f in fields(Entry))
TEXT = CharField()


CONTACT_COLUMNS = {
    "kind": Value(CONTACT, TEXT), "ref": F("pk"), "first": F("first_name"),
    "last": F("last_name"), "org": F("company"), "num1": F("number1"), "num2": F("number2"),
    "num3": F("number3"), "is_private": F("private"), "owner_ref": F("owner_id"),
}


def _contacts(queryset: QuerySet) -> QuerySet:
    return queryset.order_by().annotate(**CONTACT_COLUMNS).values(*COLUMNS)


def _internal_part() -> QuerySet:
    """Phones of active users, and phones without a user (shown by their caller name)."""
    return Phone.objects.filter(Q(user__isnull=True) | Q(user__is_active=True)).order_by(
    ).annotate(
        kind=Value(INTERNAL, TEXT), ref=F("pk"),
        first=Case(When(user__last_name="", then=Value("")),
                   default=Coalesce(F("user__first_name"), Value("")), output_field=TEXT),
        last=Coalesce(NullIf(F("user__last_name"), Value("")), F("name"), output_field=TEXT),
        org=Coalesce(F("user__department__name"), Value(""), output_field=TEXT),
        num1=F("extension"), num2=Value("", TEXT), num3=Value("", TEXT),
        is_private=Value(False, BooleanField()), owner_ref=F("user_id"),
    ).values(*COLUMNS)


class Entries:
    """Internal users and visible contacts as one read-only list.

    It offers what ``centrex.web.lists`` uses of a queryset (``filter``, ``distinct``,
    ``order_by``, ``ordered``, ``count``, slicing, ``iterator``): a filter is applied to each
    part, the sort and the page to their union, so the database does all the work.
    """

    def __init__(self, parts: list[QuerySet], order: tuple[str, ...] = ()) -> None:
        self.parts = parts
        self.order = order

    def filter(self, *args, **kwargs) -> Entries:
        return Entries([p.filter(*args, **kwargs) for p in self.parts], self.order)

    def distinct(self) -> Entries:
        return self  # a row is never repeated: the parts select no relation to many

    def order_by(self, *names: str) -> Entries:
        order: list[str] = []
        for name in names:  # "pk" is not a column of the union: kind and ref are
            order += ["kind", "ref"] if name.lstrip("-") == "pk" else [name]
        return Entries(self.parts, tuple(order))

    @property
    def ordered(self) -> bool:
        return bool(self.order)

    def count(self) -> int:
        return sum(p.count() for p in self.parts)

    def _union(self) -> QuerySet:
        union = self.parts[0].union(*self.parts[1:], all=True)
        return union.order_by(*self.order) if self.order else union

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [Entry(**row) for row in self._union()[index]]
        return Entry(**self._union()[index])

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return (Entry(**row) for row in self._union())

    def iterator(self, chunk_size: int = 500):
        return (Entry(**row) for row in self._union().iterator(chunk_size=chunk_size))


def with_number(number: str) -> Q:
    """Entries that have ``number`` as one of their numbers."""
    return Q(num1=number) | Q(num2=number) | Q(num3=number)


def entries(user) -> Entries:
    """The directory as ``user`` sees it: internal users, shared and own private contacts."""
    return Entries([_internal_part(), _contacts(visible_contacts(user))])


def shared_entries() -> Entries:
    """What phones' phone books show: internal users and shared contacts, never private."""
    return Entries([_internal_part(), _contacts(Contact.objects.filter(private=False))])


# -- click-to-call -------------------------------------------------------------------------
class CallRefused(Exception):
    """The call cannot be placed; the message says why, for the user."""


def caller_id_name(name: str) -> str:
    """A name safe inside a caller-ID string (quotes, brackets and the like removed)."""
    cleaned = "".join(c for c in name if c.isprintable() and c not in FORBIDDEN_IN_NAMES)
    return " ".join(cleaned.split())[:60]


def click_to_call(user, number: str, name: str = "") -> Phone:
    """Ring ``user``'s own phone; when it answers, Asterisk dials ``number``.

    Asterisk calls the phone (AMI ``Originate``, asynchronous) showing the name of who is
    about to be called, then runs the phone's own dialplan (``centrex-phones``) for the
    number, exactly as if the user had dialled it: the same call rights apply.
    """
    from centrex.pbx.ami.client import AMIError
    from centrex.pbx.ami.sync import run_action
    from centrex.pbx.connection import NotConfigured, target

    phone = user.phones.order_by("extension").first()
    if phone is None:
        raise CallRefused(_("You have no phone, so Centrex cannot call you first."))
    try:
        validate_number(number)
    except ValidationError as exc:
        raise CallRefused(exc.messages[0]) from exc
    shown = caller_id_name(name) or number
    try:
        run_action(
            target().ami, "Originate", Channel=f"PJSIP/{phone.sip_username}",
            Context="centrex-phones", Exten=number, Priority="1",
            CallerID=f'"{shown}" <{phone.extension}>', Timeout=str(RING_SECONDS * 1000),
            Async="true", Variable=f"CENTREX_CLICK_TO_CALL={number}")
    except (AMIError, NotConfigured, OSError, TimeoutError) as exc:
        raise CallRefused(_("Asterisk could not place the call: %(error)s") % {
            "error": exc}) from exc
    return phone

"""CSV/XLSX import and export of contacts, on the readers and checks of the users import
(``centrex.core.importexport``): same file formats, limits, preview and all-or-nothing.

Every line creates a contact (nothing is matched, updated or deleted). ``private`` is
``yes`` or ``no``; a person without the right to manage shared contacts imports private
contacts only (empty means yes for them, no for a manager).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centrex.core import audit
from centrex.core.importexport import (
    NO,
    YES,
    CheckedFile,
    CheckedLine,
    Problem,
    Record,
    parse_bool,
    read_file,
    report_problems,
)
from centrex.directory.models import Contact
from centrex.directory.services import may_manage_shared

COLUMNS = ("first_name", "last_name", "company", "number1", "number2", "number3", "private")


def export_rows(contacts) -> Iterable[list[str]]:
    for c in contacts.order_by("last_name", "first_name", "pk"):
        yield [c.first_name, c.last_name, c.company, c.number1, c.number2, c.number3,
               YES if c.private else NO]


def read(name: str, data: bytes) -> list[Record]:
    return read_file(name, data, COLUMNS)


Line = CheckedLine


@dataclass
class Plan(CheckedFile):
    contacts: list[Contact] = field(default_factory=list)


def check(records: Sequence[Record], actor) -> Plan:
    """Build and validate every contact without saving: the preview."""
    manager = may_manage_shared(actor)
    plan = Plan(lines=[])
    for record in records:
        line = Line(record)
        plan.lines.append(line)
        values = record.values
        contact = Contact(owner=actor, **{c: values[c] for c in COLUMNS if c != "private"})
        contact.private = parse_bool(line, "private", not manager)
        if not contact.private and not manager:
            line.problems.append(Problem(record.line, "private", _(
                "Only the people who manage shared contacts may import them: write yes.")))
        try:
            contact.full_clean(exclude=["owner"])
        except ValidationError as exc:
            report_problems(line, exc, {})
        plan.contacts.append(contact)
    return plan


def run(records: Sequence[Record], actor) -> tuple[Plan, int | None]:
    """Check again and save every contact in one transaction, or none."""
    with transaction.atomic():
        plan = check(records, actor)
        if not plan.ok:
            return plan, None
        for contact in plan.contacts:
            contact.save()
        count = len(plan.contacts)
        audit.record("import", object_repr=ngettext(
            "%(n)s contact imported", "%(n)s contacts imported", count) % {"n": count})
    return plan, count

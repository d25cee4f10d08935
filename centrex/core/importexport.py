"""Bulk import and export of users with their phones, as CSV or XLSX.

One line per phone; a user with several phones has one line per phone (their own columns
repeated), a user without a phone one line with empty phone columns. The export writes
exactly what the import reads, so exporting and re-importing gives the same data. Secrets
(passwords, SIP secrets, PINs) are never exported: new phones get new secrets, shown once
after the import.

The import is in two steps. ``read_file`` turns the upload into records (a file it cannot
read raises ``ImportFileError`` with a message for the user); ``check`` builds every object
and validates it without saving, and reports each problem with its line number and column,
so the page can show a preview; ``run`` checks again and saves everything in one
transaction with one apply at the end: all or nothing. Users are matched by user name and
phones by extension (existing ones are updated, the others created); nothing is deleted.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centrex.core import audit, roles
from centrex.core.models import Department, User
from centrex.core.services import set_profiles
from centrex.telephony.models import Phone
from centrex.telephony.services import applied, prepare_new_phone

COLUMNS = (
    "username", "first_name", "last_name", "email", "department", "profiles", "active",
    "extension", "phone_name", "ring_timeout", "voicemail_enabled",
)
USER_COLUMNS = COLUMNS[:7]
PHONE_COLUMNS = COLUMNS[7:]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX is a zip: what it unpacks to is bounded too (a small file can unpack to gigabytes).
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
PROFILE_SEPARATOR = ";"
YES, NO = "yes", "no"
TRUE_WORDS = {"yes", "oui", "y", "o", "1", "true", "vrai", "x"}
FALSE_WORDS = {"no", "non", "n", "0", "false", "faux"}
# Model fields whose errors belong to a column of another name.
USER_FIELD_COLUMNS = {"is_active": "active"}
PHONE_FIELD_COLUMNS = {"name": "phone_name"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (format, header, size); the message says why
    in words for the user."""


@dataclass(frozen=True)
class Record:
    """One line of the file: its line number (as a spreadsheet shows it) and its cells;
    ``extra``: how many cells it fills beyond the header's columns (a decimal comma in a
    comma-separated file makes one more, and shifts the cells after it)."""

    line: int
    values: dict[str, str]
    extra: int = 0


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str


@dataclass
class CheckedLine:
    """The preview of one line of any import, and what is wrong with it."""

    record: Record
    problems: list[Problem] = field(default_factory=list)

    @property
    def bad_columns(self) -> set[str]:
        return {p.column for p in self.problems}


@dataclass
class CheckedFile:
    """Any checked import: it may be saved only if every line is right."""

    lines: list

    @property
    def problems(self) -> list[Problem]:
        return [p for line in self.lines for p in line.problems]

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not self.problems


@dataclass
class Line(CheckedLine):
    """A line of the users import: what it will do to the user and the phone."""

    user_action: str = ""   # "create" or "update"
    phone_action: str = ""  # "create", "update" or "" (no phone on this line)


@dataclass
class Plan(CheckedFile):
    """The checked users import: the lines for the preview, the objects to save."""

    users: dict[str, tuple[User, list[str]]] = field(default_factory=dict)
    phones: list[tuple[Phone, str]] = field(default_factory=list)  # (phone, username)
    departments: dict[str, Department | None] = field(default_factory=dict)


# -- export --------------------------------------------------------------------------------
def _yes_no(value: bool) -> str:
    return YES if value else NO


def export_rows(users: QuerySet) -> Iterable[list[str]]:
    """The export's lines (without the header), users by name, phones by extension."""
    users = users.select_related("department").prefetch_related("groups", "phones")
    for user in users.order_by("username"):
        own = [
            user.username, user.first_name, user.last_name, user.email,
            user.department.name if user.department else "",
            PROFILE_SEPARATOR.join(sorted(g.name for g in user.groups.all())),
            _yes_no(user.is_active),
        ]
        phones = sorted(user.phones.all(), key=lambda p: p.extension)
        if not phones:
            yield [*own, "", "", "", ""]
        for phone in phones:
            yield [*own, phone.extension, phone.name, str(phone.ring_timeout),
                   _yes_no(phone.voicemail_enabled)]


# -- reading -------------------------------------------------------------------------------
def _cell(value) -> str:
    """A spreadsheet cell as the text the import checks (numbers typed in a spreadsheet
    come back as numbers: 2101.0 is the extension "2101")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_table(data: bytes, max_rows: int) -> list[list[str]]:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED:
            raise ImportFileError(_("The file is too big (%(max)s MB at most).") %
                                  {"max": MAX_BYTES // (1024 * 1024)})
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("This XLSX file cannot be read (is it damaged?).")) from exc
    try:
        sheet = book.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append([_cell(v) for v in row])
            if len(table) > max_rows + 1:
                break
        return table
    finally:
        book.close()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):  # cp1252: a CSV saved by a French Excel
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("This file is neither CSV nor XLSX."))


def _csv_table(data: bytes, max_rows: int) -> list[list[str]]:
    if b"\x00" in data:
        raise ImportFileError(_("This file is neither CSV nor XLSX."))
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # a French spreadsheet writes ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[c.strip() for c in row] for _n, row in zip(range(max_rows + 2), reader,
                                                              strict=False)]
    except csv.Error as exc:
        raise ImportFileError(_("This CSV file cannot be read: %(error)s") %
                              {"error": exc}) from exc


def read_file(name: str, data: bytes, columns: Sequence[str] = COLUMNS,
              max_rows: int | None = None, optional: Sequence[str] = ()) -> list[Record]:
    """The records of an uploaded file, or ImportFileError saying what is wrong with it.

    ``columns`` are the names the header must hold (the users import's by default; the
    directory's contacts import passes its own), ``optional`` those it may hold too.
    ``max_rows`` defaults to MAX_ROWS read at call time, so a setting can lower it."""
    max_rows = max_rows or MAX_ROWS
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is too big (%(max)s MB at most).") %
                              {"max": MAX_BYTES // (1024 * 1024)})
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    table = (_xlsx_table(data, max_rows) if data[:4] == b"PK\x03\x04"
             else _csv_table(data, max_rows))
    return records_from_table(table, columns, max_rows, optional)


def records_from_table(table: list[list[str]], columns: Sequence[str] = COLUMNS,
                       max_rows: int | None = None, optional: Sequence[str] = ()) -> list[Record]:
    max_rows = max_rows or MAX_ROWS
    rows = [(n, row) for n, row in enumerate(table, start=1) if any(row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    _first, header = rows[0]
    header = [h.strip().lower() for h in header]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in columns if c not in header]
    unknown = [c or "?" for c in header if c not in columns and c not in optional]
    if missing or unknown or len(set(header)) != len(header):
        raise ImportFileError(_(
            "The first line must name the columns %(expected)s (in any order). "
            "Missing: %(missing)s. Unknown or repeated: %(unknown)s.") % {
            "expected": ", ".join(columns), "missing": ", ".join(missing) or "—",
            "unknown": ", ".join(unknown + [h for h in set(header) if header.count(h) > 1])
            or "—"})
    data = rows[1:]
    if not data:
        raise ImportFileError(_("The file has a header line but no data."))
    if len(data) > max_rows:
        raise ImportFileError(_("The file has too many lines (%(max)s at most).") %
                              {"max": max_rows})
    where = {c: header.index(c) for c in [*columns, *optional] if c in header}
    return [Record(n, {c: (row[i] if i < len(row) else "") for c, i in where.items()},
                   sum(1 for cell in row[len(header):] if cell.strip()))
            for n, row in data]


# -- checking ------------------------------------------------------------------------------
def parse_bool(line: Line, column: str, default: bool) -> bool:
    """A yes/no cell; a wrong word is a problem of ``line`` (anything with ``record`` and
    ``problems``), and gives ``default``."""
    text = line.record.values[column].strip().lower()
    if not text:
        return default
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    line.problems.append(Problem(line.record.line, column,
                                 _("Write yes or no (got “%(value)s”).") % {"value": text}))
    return default


def report_problems(line: Line, exc: ValidationError, columns: dict[str, str]) -> None:
    for name, messages in exc.message_dict.items():
        column = columns.get(name, name) if name != "__all__" else ""
        for message in messages:
            line.problems.append(Problem(line.record.line, column, message))


class _Checker:
    """Builds and validates the objects of every line, remembering what earlier lines
    did (a user on several lines, an extension used twice)."""

    def __init__(self, actor: User | None) -> None:
        self.actor = actor
        self.plan = Plan(lines=[])
        self.user_lines: dict[str, tuple[int, dict]] = {}
        self.extension_lines: dict[str, int] = {}

    def line(self, record: Record) -> None:
        line = Line(record)
        self.plan.lines.append(line)
        self._phone(line, self._user(line))

    def _department(self, line: Line) -> Department | None:
        name = line.record.values["department"]
        if name not in self.plan.departments:
            dept = Department.objects.filter(name=name).first() if name else None
            if name and dept is None:
                dept = Department(name=name)
                try:
                    dept.full_clean(validate_unique=False)
                except ValidationError as exc:
                    report_problems(line, exc, {"name": "department"})
                    return None
            self.plan.departments[name] = dept
        return self.plan.departments[name]

    def _profiles(self, line: Line) -> list[str]:
        cell = line.record.values["profiles"].replace(",", PROFILE_SEPARATOR)
        names = sorted({n.strip() for n in cell.split(PROFILE_SEPARATOR) if n.strip()})
        for name in names:
            if name not in roles.PROFILES:
                line.problems.append(Problem(line.record.line, "profiles", _(
                    "Unknown profile “%(name)s” (known: %(known)s).") % {
                    "name": name, "known": ", ".join(roles.PROFILES)}))
        return [n for n in names if n in roles.PROFILES]

    def _user(self, line: Line) -> User:
        values = line.record.values
        username = values["username"]
        own = {c: values[c] for c in USER_COLUMNS}
        if username in self.user_lines:
            first_line, first_values = self.user_lines[username]
            for column in USER_COLUMNS:
                if own[column] != first_values[column]:
                    line.problems.append(Problem(line.record.line, column, _(
                        "Differs from line %(line)s for the same user.") % {"line": first_line}))
            line.user_action = "same"
            return self.plan.users[username][0]
        self.user_lines[username] = (line.record.line, own)
        user = User.objects.filter(username=username).first() if username else None
        line.user_action = "update" if user is not None else "create"
        user = user or User(username=username)
        user.first_name, user.last_name = values["first_name"], values["last_name"]
        user.email = values["email"]
        user.department = self._department(line)
        user.is_active = parse_bool(line, "active", True)
        profiles = self._profiles(line)
        if user.pk is None:
            user.set_unusable_password()
        try:
            user.full_clean(exclude=["password"])  # the import never touches passwords
        except ValidationError as exc:
            report_problems(line, exc, USER_FIELD_COLUMNS)
        if self.actor is not None and user.pk == self.actor.pk:
            self._not_locking_out(line, user, profiles)
        self.plan.users[username] = (user, profiles)
        return user

    def _not_locking_out(self, line: Line, user: User, profiles: list[str]) -> None:
        if not user.is_active:
            line.problems.append(Problem(line.record.line, "active",
                                         _("You cannot deactivate your own account.")))
        if roles.ADMIN in roles.profiles_of(user) and roles.ADMIN not in profiles \
                and not user.is_superuser:
            line.problems.append(Problem(line.record.line, "profiles", _(
                "You cannot remove your own administrator profile.")))

    def _phone(self, line: Line, user: User) -> None:
        values = line.record.values
        extension = values["extension"]
        if not extension:
            for column in PHONE_COLUMNS[1:]:
                if values[column]:
                    line.problems.append(Problem(line.record.line, column, _(
                        "A phone column is filled but the extension is empty.")))
            return
        if extension in self.extension_lines:
            line.problems.append(Problem(line.record.line, "extension", _(
                "Extension %(extension)s is already on line %(line)s.") % {
                "extension": extension, "line": self.extension_lines[extension]}))
            return
        self.extension_lines[extension] = line.record.line
        phone = Phone.objects.filter(extension=extension).first()
        line.phone_action = "update" if phone is not None else "create"
        phone = phone or Phone(extension=extension)
        phone.name = values["phone_name"] or user.get_full_name() or user.username
        phone.voicemail_enabled = parse_bool(line, "voicemail_enabled", True)
        ring = values["ring_timeout"] or "20"
        if not ring.isdigit():
            line.problems.append(Problem(line.record.line, "ring_timeout", _(
                "Write a number of seconds (got “%(value)s”).") % {"value": ring}))
            ring = "20"
        phone.ring_timeout = int(ring)
        try:
            if phone.pk is None:
                prepare_new_phone(phone)  # a secret, so that the phone can be checked whole
            else:
                phone.full_clean(exclude=["user"])
        except ValidationError as exc:
            report_problems(line, exc, PHONE_FIELD_COLUMNS)
        self.plan.phones.append((phone, user.username))


def check(records: Sequence[Record], actor: User | None = None) -> Plan:
    """Build and validate every line without saving anything: the preview."""
    checker = _Checker(actor)
    for record in records:
        checker.line(record)
    return checker.plan


# -- importing -----------------------------------------------------------------------------
@dataclass
class Outcome:
    """What an import did, and the SIP secrets of its new phones (shown once)."""

    users_created: int = 0
    users_updated: int = 0
    phones_created: int = 0
    phones_updated: int = 0
    new_phones: list[tuple[Phone, str]] = field(default_factory=list)

    def summary(self) -> str:
        return ", ".join([
            ngettext("%(n)s user created", "%(n)s users created", self.users_created)
            % {"n": self.users_created},
            ngettext("%(n)s user updated", "%(n)s users updated", self.users_updated)
            % {"n": self.users_updated},
            ngettext("%(n)s phone created", "%(n)s phones created", self.phones_created)
            % {"n": self.phones_created},
            ngettext("%(n)s phone updated", "%(n)s phones updated", self.phones_updated)
            % {"n": self.phones_updated},
        ])


def run(records: Sequence[Record], actor: User | None = None) -> tuple[Plan, Outcome | None]:
    """Check again and, if every line is right, save everything and apply once.

    The check runs inside the transaction, so what it saw is what is saved. Returns the
    plan (with its problems when there are any: then nothing was saved) and the outcome.
    """
    with transaction.atomic():
        plan = check(records, actor)
        if not plan.ok:
            return plan, None
        return plan, _save(plan)


def _save(plan: Plan) -> Outcome:
    with applied():
        outcome = Outcome()
        for name, dept in plan.departments.items():
            if dept is not None and dept.pk is None:
                plan.departments[name] = Department.objects.get_or_create(name=name)[0]
        for user, profiles in plan.users.values():
            created = user.pk is None
            if user.department is not None and user.department.pk is None:
                user.department = plan.departments[user.department.name]
            user.save()
            set_profiles(user, profiles)
            outcome.users_created += created
            outcome.users_updated += not created
        for phone, username in plan.phones:
            created = phone.pk is None
            phone.user = plan.users[username][0]
            if created:
                outcome.new_phones.append((phone, phone.set_sip_password()))
            phone.save()
            outcome.phones_created += created
            outcome.phones_updated += not created
        audit.record("import", object_repr=outcome.summary())
    return outcome


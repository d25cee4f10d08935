"""Billing (seeds/002 "Facturation", docs/billing.md): rate plans imported from a file,
each answered outgoing call priced once at ingestion with the plan in force, re-pricing
as an explicit action, and the reports per department and phone.

The pricing itself (prefix match, steps, peak/off-peak) is centrex/reports/tariff.py.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from centrex.core.importexport import Problem, Record, read_file
from centrex.reports import fastsql, rollup, tariff
from centrex.reports.models import BillingDaily, Call, Prefix, RatePlan, Zone

logger = logging.getLogger("centrex.reports.billing")

COLUMNS = ("prefix", "zone", "peak", "offpeak")
OPTIONAL = ("setup", "minimum", "first_increment", "increment", "forbidden")
MAX_PREFIXES = 50_000
TRUE_WORDS = {"yes", "oui", "1", "true", "vrai", "x"}
FALSE_WORDS = {"", "no", "non", "0", "false", "faux"}


# -- import -----------------------------------------------------------------------------------
@dataclass
class TariffFile:
    """A checked tariff file: the zones with their rates, the prefixes, the problems."""

    zones: dict[str, tariff.Rate] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)  # prefix → zone name
    problems: list[Problem] = field(default_factory=list)


def _amount(record: Record, column: str, problems: list[Problem], required: bool = False,
            ) -> int:
    """The column's amount in ten-thousandths (an empty cell is 0 unless ``required``), or
    a problem saying why in parse_amount's words."""
    text = record.values.get(column, "").strip()
    if not text and not required:
        return 0
    try:
        return tariff.parse_amount(text)
    except ValueError as exc:
        problems.append(Problem(record.line, column, str(exc)))
        return 0


def _seconds(record: Record, column: str, problems: list[Problem]) -> int:
    text = record.values.get(column, "").strip() or "1"
    # The length first: int() refuses thousands of digits with an error of its own.
    if (not tariff.is_digits(text) or len(text) > 4
            or not 1 <= int(text) <= 3600):
        problems.append(Problem(record.line, column, _(
            "A number of seconds from 1 to 3600, got “%(value)s”.") % {"value": text[:30]}))
        return 1
    return int(text)


def check_tariff(records: Sequence[Record]) -> TariffFile:
    """Every line checked; a zone named on several lines must have the same prices on each.
    The peak and off-peak prices may only be left empty for a forbidden zone."""
    checked = TariffFile()
    where: dict[str, int] = {}  # prefix → its line
    zone_lines: dict[str, int] = {}  # zone → the line that gave its prices
    for record in records:
        if record.extra:  # its cells are shifted: any other message would mislead
            checked.problems.append(Problem(record.line, "", _(
                "More cells than the header has columns (with “,” as separator, write "
                "decimal commas between quotes).")))
            continue
        problems: list[Problem] = []
        written = record.values["prefix"].strip()
        prefix = "00" + written[1:] if written.startswith("+") else written
        zone = record.values["zone"].strip()
        if not tariff.is_digits(prefix) or len(prefix) > 15:
            problems.append(Problem(record.line, "prefix", _(
                "A prefix is made of 1 to 15 digits, got “%(value)s”.") % {"value":
                                                                        written[:30]}))
        elif prefix in where:
            problems.append(Problem(record.line, "prefix", _(
                "The prefix %(prefix)s is already on line %(line)s.") % {
                "prefix": prefix, "line": where[prefix]}))
        if not zone or len(zone) > 60 or not zone.isprintable():
            problems.append(Problem(record.line, "zone", _(
                "A zone is a name of 1 to 60 printable characters.")))
        forbidden_text = record.values.get("forbidden", "").strip().lower()
        if forbidden_text not in TRUE_WORDS | FALSE_WORDS:
            problems.append(Problem(record.line, "forbidden", _(
                "Write yes or no (got “%(value)s”).") % {"value": forbidden_text[:30]}))
        forbidden = forbidden_text in TRUE_WORDS
        rate = tariff.Rate(
            peak=_amount(record, "peak", problems, required=not forbidden),
            offpeak=_amount(record, "offpeak", problems, required=not forbidden),
            setup=_amount(record, "setup", problems),
            minimum=_amount(record, "minimum", problems),
            first_increment=_seconds(record, "first_increment", problems),
            increment=_seconds(record, "increment", problems),
            forbidden=forbidden)
        if not problems and zone in checked.zones and checked.zones[zone] != rate:
            problems.append(Problem(record.line, "zone", _(
                "The zone “%(zone)s” has other prices on line %(line)s.") % {
                "zone": zone, "line": zone_lines[zone]}))
        checked.problems += problems
        if not problems:
            checked.zones.setdefault(zone, rate)
            zone_lines.setdefault(zone, record.line)
            checked.prefixes[prefix] = zone
            where[prefix] = record.line
    return checked


def import_tariff(plan: RatePlan, name: str, data: bytes) -> TariffFile:
    """Replace the plan's zones and prefixes with the file's, all or nothing: a file with a
    problem changes nothing (the problems are returned, each naming its line and column)."""
    records = read_file(name, data, COLUMNS, max_rows=MAX_PREFIXES, optional=OPTIONAL)
    checked = check_tariff(records)
    if checked.problems:
        return checked
    with transaction.atomic():
        plan.zones.all().delete()
        zones = {n: Zone(plan=plan, name=n, peak=r.peak, offpeak=r.offpeak, setup=r.setup,
                         minimum=r.minimum, first_increment=r.first_increment,
                         increment=r.increment, forbidden=r.forbidden)
                 for n, r in checked.zones.items()}
        Zone.objects.bulk_create(zones.values())
        Prefix.objects.bulk_create([Prefix(plan=plan, prefix=p, zone=zones[z])
                                    for p, z in checked.prefixes.items()], batch_size=2000)
        plan.save()  # its ``updated`` tells the pricers to reload
    return checked


def export_rows(plan: RatePlan) -> Iterable[list[str]]:
    """The plan as a file that imports back to the same plan."""
    for prefix in plan.prefixes.select_related("zone").order_by("prefix"):
        z = prefix.zone
        yield [prefix.prefix, z.name, tariff.format_amount(z.peak, 4),
               tariff.format_amount(z.offpeak, 4), tariff.format_amount(z.setup, 4),
               tariff.format_amount(z.minimum, 4), str(z.first_increment), str(z.increment),
               "yes" if z.forbidden else "no"]


# -- pricing ----------------------------------------------------------------------------------
def normalize(number: str) -> str:
    """The dialled number as the zone tables write it: digits, ``+`` as ``00``."""
    number = number.strip()
    if number.startswith("+"):
        number = "00" + number[1:]
    return "".join(ch for ch in number if ch.isdigit())


class Pricer:
    """The active plan, ready to price calls (built once per plan version)."""

    def __init__(self, plan: RatePlan) -> None:
        from centrex.ivr.models import Holiday

        self.plan = plan
        zones = {z.pk: z for z in plan.zones.all()}
        self.rates = {pk: tariff.Rate(z.peak, z.offpeak, z.setup, z.minimum,
                                      z.first_increment, z.increment, z.forbidden)
                      for pk, z in zones.items()}
        self.names = {pk: z.name for pk, z in zones.items()}
        pairs = list(plan.prefixes.values_list("prefix", "zone_id"))
        # Imports take digits 0-9 only; a plan stored otherwise before that check (other
        # scripts' digits) must not stop the pricing, and so the ingestion, of every call:
        # its prefix is left out, and the calls it would match are listed as without a rate.
        digits = [(prefix, zone) for prefix, zone in pairs if tariff.is_digits(prefix)]
        if len(digits) < len(pairs):
            logger.error("rate plan %s: %d prefix(es) not made of digits 0-9 left out; "
                         "import its tariff again", plan, len(pairs) - len(digits))
        self.table = tariff.PrefixTable(digits)
        holidays = list(Holiday.objects.values_list("date", "yearly")) \
            if plan.holidays_offpeak else []
        # The plan's form keeps the end after the start. A plan stored otherwise is off-peak
        # all the time: Periods would refuse its range and stop the pricing of every call.
        weekdays = plan.peak_weekdays() if plan.peak_start < plan.peak_end else frozenset()
        self.periods = tariff.Periods(
            plan.peak_start, plan.peak_end, weekdays,
            holidays=frozenset(d for d, yearly in holidays if not yearly),
            yearly_holidays=frozenset((d.month, d.day) for d, yearly in holidays if yearly))

    def apply(self, call: Call) -> None:
        """Set the call's pricing fields (answered outgoing calls only)."""
        if call.direction != "out" or call.state != "answered":
            call.pricing, call.zone, call.cost, call.cost_vat, call.currency = (
                "", "", None, None, "")
            return
        zone = self.table.lookup(normalize(call.destination))
        call.currency = self.plan.currency
        if zone is None:
            call.pricing, call.zone, call.cost, call.cost_vat = "unmatched", "", None, None
            return
        rate = self.rates[zone]
        call.zone = self.names[zone]
        if rate.forbidden:
            call.pricing, call.cost, call.cost_vat = "forbidden", None, None
            return
        from django.utils import timezone

        start = timezone.localtime(call.start, timezone.get_default_timezone())
        call.pricing = "priced"
        call.cost = tariff.price(rate, self.periods, start, call.duration)
        call.cost_vat = tariff.with_vat(call.cost, self.plan.vat_percent)


_cache: dict[str, Pricer | None] = {}
_lock = threading.Lock()


def current_pricer() -> Pricer | None:
    """The pricer of the plan in force (None without one), rebuilt when the plan changes."""
    plan = RatePlan.objects.filter(active=True).first()
    if plan is None:
        return None
    key = f"{plan.pk}:{plan.updated.isoformat()}"
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = Pricer(plan)
        return _cache[key]


PRICE_FIELDS = ("pricing", "zone", "cost", "cost_vat", "currency")


def price_new(calls: list[Call], fresh: bool = False) -> None:
    """Price the calls being (re)built at ingestion: a call priced before keeps its price
    (a tariff change does not re-price the past by itself). ``fresh``: none of them is in
    the database yet."""
    billable = [c for c in calls if c.direction == "out" and c.state == "answered"]
    if not billable:
        return
    before = {} if fresh else {row[0]: row[1:] for row in Call.objects.filter(
        linkedid__in=[c.linkedid for c in billable]).exclude(pricing="").values_list(
        "linkedid", *PRICE_FIELDS)}
    pricer = current_pricer()
    for call in billable:
        if call.linkedid in before:
            for name, value in zip(PRICE_FIELDS, before[call.linkedid], strict=True):
                setattr(call, name, value)
        elif pricer is not None:
            pricer.apply(call)


def reprice(since, until) -> int:
    """Price again, with the plan in force, the answered outgoing calls of these days;
    returns how many. Only the calls whose price changed are written (a re-pricing with the
    same plan writes nothing)."""
    pricer = current_pricer()
    if pricer is None:
        return 0
    calls = Call.objects.filter(direction="out", state="answered", day__gte=since,
                                day__lte=until).only("pk", "start", "destination",
                                                     "duration", "direction", "state",
                                                     *PRICE_FIELDS)
    count = 0
    with fastsql.no_cycle_collection(), transaction.atomic():
        batch: list[list] = []
        for call in calls.iterator(chunk_size=5000):
            before = [getattr(call, name) for name in PRICE_FIELDS]
            pricer.apply(call)
            count += 1
            after = [getattr(call, name) for name in PRICE_FIELDS]
            if after == before:
                continue
            batch.append([*after, call.pk])
            if len(batch) >= 5000:
                fastsql.update(Call, PRICE_FIELDS, batch)
                batch = []
        fastsql.update(Call, PRICE_FIELDS, batch)
        rollup.refresh_calls(rollup.days_between(since, until, Call, BillingDaily))
    return count


# -- reports ----------------------------------------------------------------------------------
def visible(user, totals: bool = False) -> QuerySet:
    """The priced calls whose cost ``user`` may read: their own; their department's with
    ``core.view_department_costs``; all with ``core.view_all_costs``. ``totals``: their
    per-day totals (``BillingDaily``, the recap), filtered the same way."""
    calls = BillingDaily.objects.all() if totals else Call.objects.filter(
        pricing__in=rollup.BILLED)
    if user.has_perm("core.view_all_costs"):
        return calls
    mine = Q(caller=user)
    if user.has_perm("core.view_department_costs") and user.department_id:
        mine |= Q(caller_department_id=user.department_id)
    return calls.filter(mine)


@dataclass
class RecapLine:
    phone: str
    name: str
    seconds: int
    cost: int
    cost_vat: int
    calls: int


def recap(totals: QuerySet[BillingDaily]) -> dict[str, list[RecapLine]]:
    """Per department (its name, "" without one), the phones with their totals (from the
    per-day totals: a year is read in a few thousand rows)."""
    from centrex.core.models import Department, User

    rows = (totals.values("caller_department_id", "source", "caller_id")
            .annotate(n=Sum("calls"), s=Sum("duration"), c=Sum("cost"), v=Sum("cost_vat"))
            .order_by())
    departments = dict(Department.objects.values_list("pk", "name"))
    people = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(
        pk__in={r["caller_id"] for r in rows if r["caller_id"]})}
    grouped: dict[str, list[RecapLine]] = {}
    for row in rows:
        department = departments.get(row["caller_department_id"], "")
        grouped.setdefault(department, []).append(RecapLine(
            row["source"], people.get(row["caller_id"], ""), row["s"] or 0, row["c"] or 0,
            row["v"] or 0, row["n"]))
    return {d: sorted(lines, key=lambda line: line.phone)
            for d, lines in sorted(grouped.items())}

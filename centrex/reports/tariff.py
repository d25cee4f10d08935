"""Pricing a call: longest-prefix match of the dialled number, then the zone's price at the
period in force when the call started (docs/billing.md). Pure Python, no database: the
billing service (centrex/reports/billing.py) feeds it the active rate plan; its
``check_tariff`` checks a tariff file before anything is stored.

Money is counted in integers of **ten-thousandths of the currency unit** (1 € = 10 000),
so that a price of 0.0125 €/min is exact, a million calls add up without rounding drift,
and the hot path (one price per ingested call) does integer arithmetic only, no Decimal.
Amounts are rounded half-up once, at the end of each call, never per billing step.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

UNIT = 10_000  # ten-thousandths in one currency unit
MAX_AMOUNT = 1_000_000 * UNIT  # no price per minute or charge is a million units
DAY = 86_400

V = TypeVar("V")


def is_digits(text: str) -> bool:
    """Digits 0-9 only: ``str.isdigit`` alone also takes "²" and other scripts' digits."""
    return text.isascii() and text.isdigit()


# -- zones: longest-prefix match ---------------------------------------------------------------
class PrefixTable(Generic[V]):
    """Longest-prefix match over digit prefixes ("0033" France, "06" mobile, "089"
    forbidden...): the value of the longest prefix the number starts with.

    One dict per prefix length, tried from the longest length present down: a lookup costs
    one slice and one hash probe per distinct length (a handful, even for 10,000 prefixes),
    where a trie would cost one step per digit in Python. Lengths absent from the table
    are never tried."""

    __slots__ = ("_size", "_tables")

    def __init__(self, pairs: Iterable[tuple[str, V]]) -> None:
        by_length: dict[int, dict[str, V]] = {}
        for prefix, value in pairs:
            if not is_digits(prefix):
                raise ValueError(f"a prefix is made of digits, got {prefix!r}")
            if value is None:  # None is lookup()'s "no zone"
                raise ValueError(f"the prefix {prefix} leads to no value")
            table = by_length.setdefault(len(prefix), {})
            if prefix in table:
                raise ValueError(f"duplicate prefix {prefix}")
            table[prefix] = value
        # (length, table) pairs, longest first: the loop in lookup() reads no other state.
        self._tables = tuple(sorted(by_length.items(), reverse=True))
        self._size = sum(len(table) for table in by_length.values())

    def __len__(self) -> int:
        return self._size

    def lookup(self, number: str) -> V | None:
        """The value of the longest prefix of ``number`` (digits only, as the tables
        write it: ``+`` already turned into ``00``), None when no prefix matches."""
        # No length check: a number shorter than ``length`` slices to itself, which
        # cannot be a key of that length.
        for length, table in self._tables:
            found = table.get(number[:length])
            if found is not None:
                return found
        return None


# -- rates and periods -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Rate:
    """A zone's prices, in ten-thousandths of the currency unit: per minute at peak
    (``peak``) and off-peak (``offpeak``) times, a connection charge (``setup``) added to
    every answered call and a ``minimum`` charge per call.

    The billing step: the first ``first_increment`` seconds are billed whole, then steps of
    ``increment`` seconds (1/1: per second; 60/60: per minute; 60/1: first minute
    indivisible, then per second; 30/6...). A ``forbidden`` zone is never priced: its calls
    are listed for the administrator instead.

    No checks here: the rates come from the database, already checked when imported
    (``billing.check_tariff``), and ``price`` treats a step below 1 s as 1 s rather than fail
    the ingestion of every call."""

    peak: int
    offpeak: int
    setup: int = 0
    minimum: int = 0
    first_increment: int = 1
    increment: int = 1
    forbidden: bool = False


TimeRange = tuple[datetime.time, datetime.time]


def _second_of_day(moment: datetime.time, *, end: bool = False) -> int:
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return DAY if end and seconds == 0 else seconds  # an end at 00:00 is midnight


@dataclass(frozen=True)
class Periods:
    """When the peak price applies; every other moment is off-peak.

    By default peak hours are ``peak_start`` to ``peak_end`` on ``peak_days`` (0 = Monday):
    Monday to Friday 08:00 to 19:00, so off-peak is before 08:00, from 19:00, and all the
    weekend. ``week``, when given, replaces those three: seven tuples (Monday first) of
    peak ranges, e.g. a Saturday morning at the peak price. A range ending at 00:00 runs
    to midnight; ranges never cross midnight (write two). ``holidays`` (dates) and
    ``yearly_holidays`` ((month, day), e.g. (5, 1)) are off-peak all day.

    Times are wall-clock times: pass ``start`` in the PBX's local time (naive or aware,
    only its date and time of day are read)."""

    peak_start: datetime.time = datetime.time(8)
    peak_end: datetime.time = datetime.time(19)
    peak_days: frozenset[int] = frozenset(range(5))
    holidays: frozenset[datetime.date] = frozenset()
    yearly_holidays: frozenset[tuple[int, int]] = frozenset()
    week: tuple[tuple[TimeRange, ...], ...] | None = None
    # Per weekday, the peak ranges in seconds of the day: what is_peak() reads.
    _peak: tuple[tuple[tuple[int, int], ...], ...] = field(init=False, repr=False,
                                                           compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "peak_days", frozenset(self.peak_days))
        if self.week is None:
            if not self.peak_days <= set(range(7)):
                raise ValueError(f"weekdays are 0 (Monday) to 6, got {set(self.peak_days)}")
            week = tuple(((self.peak_start, self.peak_end),) if day in self.peak_days else ()
                         for day in range(7))
        else:
            week = tuple(tuple((low, high) for low, high in day) for day in self.week)
            if len(week) != 7:
                raise ValueError(f"week has one entry per weekday (7), got {len(week)}")
        peak = tuple(tuple((_second_of_day(low), _second_of_day(high, end=True))
                           for low, high in day) for day in week)
        for day in peak:
            for low, high in day:
                if low >= high:
                    raise ValueError("a peak range must end after it starts (an end at "
                                     "00:00 is midnight)")
        # Frozen: normalise through object.__setattr__ so that sets and lists passed by a
        # caller become hashable, immutable values.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "yearly_holidays", frozenset(self.yearly_holidays))
        if self.week is not None:
            object.__setattr__(self, "week", week)
        object.__setattr__(self, "_peak", peak)

    def is_peak(self, start: datetime.datetime) -> bool:
        """Whether ``start`` (local wall-clock time) is in a peak period."""
        ranges = self._peak[start.weekday()]
        if not ranges:
            return False
        second = start.hour * 3600 + start.minute * 60 + start.second
        for low, high in ranges:
            if low <= second < high:
                break
        else:
            return False
        # Holidays are looked at last: only a would-be peak moment needs the date.
        if self.holidays and start.date() in self.holidays:
            return False
        return not (self.yearly_holidays and (start.month, start.day) in self.yearly_holidays)


# -- pricing ---------------------------------------------------------------------------------
def billed_seconds(rate: Rate, billsec: int) -> int:
    """The seconds charged for ``billsec`` seconds of talk: nothing for an unanswered call,
    the whole first step, then whole steps."""
    if billsec <= 0:
        return 0
    first = rate.first_increment if rate.first_increment > 0 else 1
    if billsec <= first:
        return first
    step = rate.increment if rate.increment > 0 else 1
    return first + -(-(billsec - first) // step) * step


def price(rate: Rate, periods: Periods, start: datetime.datetime, billsec: int) -> int:
    """The cost of a call excl. VAT, in ten-thousandths of the currency unit.

    setup + billed seconds * the price per minute / 60, rounded half-up once at the end,
    then at least the minimum charge; nothing for a call that was not answered
    (``billsec`` 0). The whole call is at the price of the period in force when it
    *started*, even if it runs past 19:00: what most operators do, and what a reader of
    the bill can check from the start time alone.

    Raises ValueError for a forbidden zone: such calls are listed, never priced."""
    if billsec <= 0:
        return 0
    if rate.forbidden:
        raise ValueError("a forbidden zone has no price")
    # billed_seconds() inlined: this runs once per ingested call.
    first = rate.first_increment if rate.first_increment > 0 else 1
    if billsec <= first:
        seconds = first
    else:
        step = rate.increment if rate.increment > 0 else 1
        seconds = first + -(-(billsec - first) // step) * step
    per_minute = rate.peak if periods.is_peak(start) else rate.offpeak
    cost = rate.setup + (seconds * per_minute * 2 + 60) // 120  # ÷ 60, half-up
    return cost if cost > rate.minimum else rate.minimum


@functools.lru_cache(maxsize=32)
def _vat_ratio(vat_percent: Decimal | int) -> tuple[int, int]:
    """1 + VAT as an exact fraction (numerator, denominator), once per VAT rate."""
    if isinstance(vat_percent, float):
        raise TypeError("a VAT rate is a Decimal or an int: 19.6 is not exact as a float")
    ratio = 1 + Fraction(vat_percent) / 100  # ValueError for NaN, OverflowError for inf
    if ratio < 1:
        raise ValueError(f"a VAT rate cannot be negative, got {vat_percent}")
    return ratio.numerator, ratio.denominator


def with_vat(amount: int, vat_percent: Decimal | int) -> int:
    """``amount`` (ten-thousandths, ≥ 0) plus VAT at ``vat_percent`` % (Decimal("20"),
    Decimal("5.5"): the rate plan's field), rounded half-up to the ten-thousandth.

    Exact for any percentage: the ratio is a fraction computed once per rate, then each
    call costs two integer multiplications and a division."""
    numerator, denominator = _vat_ratio(vat_percent)
    return (amount * numerator * 2 + denominator) // (2 * denominator)


# -- amounts for people ------------------------------------------------------------------------
def format_amount(amount: int | None, decimals: int = 2) -> str:
    """Ten-thousandths as currency units with ``decimals`` decimals, rounded half away from
    zero: 12345 → "1.23", 12350 → "1.24", 125 with 4 decimals → "0.0125"; None → "".

    Integer arithmetic (the exports format every call of a year); no thousands separator
    and a point: the pages and files localise if they need to."""
    if amount is None:
        return ""
    if decimals < 0:
        raise ValueError(f"decimals cannot be negative, got {decimals}")
    sign = "-" if amount < 0 else ""
    magnitude = -amount if amount < 0 else amount
    if decimals < 4:
        quantum = 10 ** (4 - decimals)
        magnitude = (magnitude * 2 + quantum) // (2 * quantum)  # half-up
        scale = 10**decimals
    else:
        magnitude *= 10 ** (decimals - 4)
        scale = UNIT * 10 ** (decimals - 4)
    if magnitude == 0:
        sign = ""  # never "-0.00"
    units, fraction = divmod(magnitude, scale)
    return f"{sign}{units}.{fraction:0{decimals}d}" if decimals else f"{sign}{units}"


_AMOUNT = re.compile(r"(?P<units>[0-9]*)(?:[.,](?P<fraction>[0-9]*))?", re.ASCII)


def parse_amount(text: str) -> int:
    """A price as people type it ("0,15", "0.0125", "2", " 1.5 ") → ten-thousandths.

    Raises ValueError with a message for the user (translated) for anything else: a
    negative or too large amount, more than four decimals, thousands separators,
    exponents ("1e3"), digits other than 0-9: Decimal() would take some of these
    silently (it reads "1_000" as 1000)."""
    cleaned = text.strip()
    shown = cleaned[:30]
    match = _AMOUNT.fullmatch(cleaned)
    if not cleaned:
        raise ValueError(_("Type an amount, such as 0.15."))
    if cleaned.startswith("-") and _AMOUNT.fullmatch(cleaned[1:]):
        raise ValueError(_("An amount cannot be negative (got “%(value)s”).")
                         % {"value": shown})
    if match is None or not (match["units"] or match["fraction"]):
        raise ValueError(_("“%(value)s” is not an amount: digits with a point or a comma, "
                           "such as 0.15 or 0,0125.") % {"value": shown})
    fraction = match["fraction"] or ""
    if len(match["units"].lstrip("0")) > 7:  # before int(): no 5,000-digit conversions
        raise ValueError(_("At most %(max)s (got “%(value)s”).")
                         % {"max": MAX_AMOUNT // UNIT, "value": shown})
    if len(fraction.rstrip("0")) > 4:
        raise ValueError(_("Four decimals at most (got “%(value)s”).") % {"value": shown})
    fraction = fraction[:4].ljust(4, "0")
    amount = int(match["units"] or "0") * UNIT + int(fraction)
    if amount > MAX_AMOUNT:
        raise ValueError(_("At most %(max)s (got “%(value)s”).")
                         % {"max": MAX_AMOUNT // UNIT, "value": shown})
    return amount

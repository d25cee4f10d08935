"""Pricing a call: longest-prefix match of the dialled number, then the zone's price at the
period in force when the call started (docs/billing.md). Pure Python, no database: the
billing service (centrex/reports/billing.py) feeds it the active rate plan.

Money is counted in integers of ten-thousandths of the currency unit (1 € = 10 000), so that
a price of 0.0125 €/min is exact and a million calls add up without rounding drift; amounts
are rounded half-up once, at the end of each call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

UNIT = 10_000  # ten-thousandths in one currency unit


class PrefixTable:
    """Longest-prefix match over digit prefixes: one dict per prefix length, tried from the
    longest length present down, so a 10,000-prefix table answers in a few dict lookups."""

    def __init__(self, pairs: Iterable[tuple[str, object]]) -> None:
        self._by_length: dict[int, dict[str, object]] = {}
        for prefix, value in pairs:
            table = self._by_length.setdefault(len(prefix), {})
            if prefix in table:
                raise ValueError(f"duplicate prefix {prefix}")
            table[prefix] = value
        self._lengths = sorted(self._by_length, reverse=True)

    def lookup(self, number: str) -> object | None:
        for length in self._lengths:
            if length <= len(number):
                found = self._by_length[length].get(number[:length])
                if found is not None:
                    return found
        return None


@dataclass(frozen=True, slots=True)
class Rate:
    """A zone's prices, in ten-thousandths: per minute at peak and off-peak times, a
    connection charge and a minimum; the billing step: the first ``first_increment``
    seconds are billed whole, then steps of ``increment`` seconds (1/1: per second;
    60/60: per minute; 60/1: first minute indivisible, then per second)."""

    peak: int
    offpeak: int
    setup: int = 0
    minimum: int = 0
    first_increment: int = 1
    increment: int = 1
    forbidden: bool = False


@dataclass(frozen=True)
class Periods:
    """When the peak price applies: on ``peak_days`` (0 = Monday) from ``peak_start`` to
    ``peak_end``, except on ``holidays``; every other moment is off-peak."""

    peak_start: datetime.time = datetime.time(8)
    peak_end: datetime.time = datetime.time(19)
    peak_days: frozenset[int] = frozenset(range(5))
    holidays: frozenset[datetime.date] = frozenset()
    yearly_holidays: frozenset[tuple[int, int]] = frozenset()

    def is_peak(self, start: datetime.datetime) -> bool:
        day = start.date()
        if (start.weekday() not in self.peak_days or day in self.holidays
                or (day.month, day.day) in self.yearly_holidays):
            return False
        return self.peak_start <= start.time().replace(tzinfo=None) < self.peak_end


def billed_seconds(rate: Rate, billsec: int) -> int:
    """The seconds charged for ``billsec`` seconds of talk, by the rate's steps."""
    if billsec <= 0:
        return 0
    first = max(1, rate.first_increment)
    if billsec <= first:
        return first
    step = max(1, rate.increment)
    return first + -(-(billsec - first) // step) * step


def price(rate: Rate, periods: Periods, start: datetime.datetime, billsec: int) -> int:
    """The cost of a call excl. VAT, in ten-thousandths: at the price of the period in
    force when the call *started* (what most operators do, and what a reader can check);
    nothing for a call that was not answered."""
    seconds = billed_seconds(rate, billsec)
    if not seconds:
        return 0
    per_minute = rate.peak if periods.is_peak(start) else rate.offpeak
    cost = rate.setup + (seconds * per_minute * 2 + 60) // 120  # half-up to the unit
    return max(cost, rate.minimum)


def with_vat(amount: int, vat_percent: Decimal) -> int:
    """``amount`` plus VAT, rounded half-up to the ten-thousandth."""
    return int((Decimal(amount) * (1 + vat_percent / 100)).quantize(Decimal(1),
                                                                    ROUND_HALF_UP))


def format_amount(amount: int | None, decimals: int = 2) -> str:
    """Ten-thousandths as currency units with ``decimals`` decimals ("1.23")."""
    if amount is None:
        return ""
    value = (Decimal(amount) / UNIT).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{value:.{decimals}f}"


def parse_amount(text: str) -> int:
    """A price as typed ("0,15", "0.0125", "2") → ten-thousandths; ValueError if it is not
    a non-negative number with at most four decimals."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite() or value < 0 or value > 1_000_000:
        raise ValueError("not a price")
    if value != value.quantize(Decimal("0.0001")):
        raise ValueError("more than four decimals")
    return int(value * UNIT)

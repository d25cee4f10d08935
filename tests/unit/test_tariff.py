"""The pricing engine (centrex/reports/tariff.py): longest-prefix match, billing steps,
peak and off-peak, minimum and connection charges, VAT, amounts typed by people. No
database, no Asterisk."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from centrex.reports.tariff import (
    MAX_AMOUNT,
    Periods,
    PrefixTable,
    Rate,
    billed_seconds,
    format_amount,
    parse_amount,
    price,
    with_vat,
)

MONDAY_10 = datetime.datetime(2026, 11, 16, 10, 0)
digits = st.text("0123456789", min_size=1, max_size=6)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (French is the portal's default language)."""
    with translation.override("en"):
        yield


# -- prefixes ----------------------------------------------------------------------------------
def test_longest_prefix_wins() -> None:
    table = PrefixTable([("01", "national"), ("06", "mobile"), ("0033", "france"),
                         ("00", "international"), ("08", "premium"), ("089", "forbidden")])
    assert table.lookup("0611223344") == "mobile"
    assert table.lookup("0140000000") == "national"
    assert table.lookup("0033140000000") == "france"
    assert table.lookup("0044207") == "international"
    assert table.lookup("0810101010") == "premium"
    assert table.lookup("0899123456") == "forbidden"
    assert table.lookup("112") is None
    assert table.lookup("0") is None  # shorter than every prefix
    assert table.lookup("") is None
    assert len(table) == 6


def test_a_prefix_table_refuses_duplicates_and_non_digits() -> None:
    with pytest.raises(ValueError, match="duplicate prefix 06"):
        PrefixTable([("06", "a"), ("07", "b"), ("06", "c")])
    for bad in ("", "+33", "06 1", "٠٦", "²"):
        with pytest.raises(ValueError, match="digits"):
            PrefixTable([(bad, "zone")])
    with pytest.raises(ValueError, match="no value"):
        PrefixTable([("06", None)])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(digits, st.integers(), max_size=40), st.text("0123456789", max_size=12))
def test_the_same_answer_as_trying_every_prefix(pairs, number) -> None:
    matching = [p for p in pairs if number.startswith(p)]
    expected = pairs[max(matching, key=len)] if matching else None
    assert PrefixTable(pairs.items()).lookup(number) == expected


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(digits, st.integers(), min_size=1, max_size=40), st.data())
def test_a_number_extending_a_prefix_finds_it_or_a_longer_one(pairs, data) -> None:
    prefix = data.draw(st.sampled_from(sorted(pairs)))
    number = prefix + data.draw(st.text("0123456789", max_size=8))
    found = PrefixTable(pairs.items()).lookup(number)
    owner = [p for p in pairs if pairs[p] == found and number.startswith(p)]
    assert owner and max(len(p) for p in owner) >= len(prefix)


# -- billing steps -----------------------------------------------------------------------------
@pytest.mark.parametrize("first,step,billsec,charged", [
    (1, 1, 61, 61),        # per second
    (1, 1, 1, 1),
    (60, 60, 1, 60),       # per minute
    (60, 60, 60, 60),
    (60, 60, 61, 120),
    (60, 1, 5, 60),        # first minute indivisible
    (60, 1, 60, 60),
    (60, 1, 61, 61),       # then per second
    (30, 6, 30, 30),       # 30/6
    (30, 6, 31, 36),
    (30, 6, 36, 36),
    (30, 6, 37, 42),
    (30, 6, 0, 0),         # not answered: nothing
    (0, 0, 7, 7),          # a step below 1 s from the database counts as 1 s
])
def test_billing_steps(first, step, billsec, charged) -> None:
    assert billed_seconds(Rate(0, 0, first_increment=first, increment=step), billsec) == charged


@given(st.integers(1, 3600), st.integers(1, 3600), st.integers(1, 100_000))
def test_billed_seconds_cover_the_call_by_whole_steps(first, step, billsec) -> None:
    billed = billed_seconds(Rate(0, 0, first_increment=first, increment=step), billsec)
    assert billed >= billsec and billed >= first
    assert (billed - first) % step == 0
    assert billed == first or billed - billsec < step


# -- price -------------------------------------------------------------------------------------
def test_price_setup_minimum_and_rounding_once() -> None:
    periods = Periods()
    per_second = Rate(peak=1250, offpeak=600)  # 0.125 and 0.06 per minute
    assert price(per_second, periods, MONDAY_10, 60) == 1250
    assert price(per_second, periods, MONDAY_10, 1) == 21  # 20.83 → 21, once
    assert price(per_second, periods, MONDAY_10, 0) == 0
    # Rounded at the end, not per step: 60 one-second steps of 20.83 would make 1260.
    assert price(per_second, periods, MONDAY_10, 59) == 1229  # 1229.17
    assert price(Rate(peak=1, offpeak=1), periods, MONDAY_10, 30) == 1  # 0.5 → 1, half-up
    assert price(Rate(peak=1, offpeak=1), periods, MONDAY_10, 29) == 0  # 0.48 → 0
    with_charges = Rate(peak=1250, offpeak=600, setup=500, minimum=1000)
    assert price(with_charges, periods, MONDAY_10, 1) == 1000  # 500 + 21 < minimum
    assert price(with_charges, periods, MONDAY_10, 120) == 500 + 2500
    assert price(with_charges, periods, MONDAY_10, 0) == 0  # no minimum when not answered
    per_minute = Rate(peak=1250, offpeak=600, first_increment=60, increment=60)
    assert price(per_minute, periods, MONDAY_10, 61) == 2500


def test_a_forbidden_zone_is_never_priced() -> None:
    rate = Rate(peak=0, offpeak=0, forbidden=True)
    assert price(rate, Periods(), MONDAY_10, 0) == 0
    with pytest.raises(ValueError, match="forbidden"):
        price(rate, Periods(), MONDAY_10, 10)


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.integers(0, 10**6),
       st.integers(0, 10**6), st.integers(1, 3600), st.integers(1, 3600),
       st.integers(0, 100_000), st.datetimes(datetime.datetime(2020, 1, 1),
                                            datetime.datetime(2030, 1, 1)))
def test_price_is_the_exact_formula_rounded_half_up(peak, offpeak, setup, minimum, first,
                                                     step, billsec, start) -> None:
    rate = Rate(peak, offpeak, setup, minimum, first, step)
    periods = Periods()
    if billsec == 0:
        assert price(rate, periods, start, billsec) == 0
        return
    seconds = first if billsec <= first else first + -(-(billsec - first) // step) * step
    per_minute = peak if start.weekday() < 5 and 8 <= start.hour < 19 else offpeak
    exact = Fraction(seconds * per_minute, 60)
    rounded = int((exact + Fraction(1, 2)) // 1)  # half-up
    assert price(rate, periods, start, billsec) == max(setup + rounded, minimum)


@given(st.integers(0, 10**6), st.integers(1, 10**5), st.integers(1, 10**5))
def test_a_longer_call_never_costs_less(per_minute, shorter, extra) -> None:
    rate = Rate(per_minute, per_minute, 100, 300, 30, 6)
    assert price(rate, Periods(), MONDAY_10, shorter + extra) >= price(
        rate, Periods(), MONDAY_10, shorter)


# -- periods -----------------------------------------------------------------------------------
PEAK, OFFPEAK = 6000, 3000
RATE = Rate(peak=PEAK, offpeak=OFFPEAK)


def cost_at(periods: Periods, *when: int) -> int:
    return price(RATE, periods, datetime.datetime(*when), 60)


def test_peak_and_off_peak_at_the_boundaries() -> None:
    holiday = datetime.date(2026, 11, 11)  # a Wednesday
    periods = Periods(datetime.time(8), datetime.time(19), holidays={holiday},
                      yearly_holidays={(5, 1)})
    assert cost_at(periods, 2026, 11, 16, 7, 59, 59) == OFFPEAK  # Monday
    assert cost_at(periods, 2026, 11, 16, 7, 59, 59, 999_999) == OFFPEAK
    assert cost_at(periods, 2026, 11, 16, 8, 0, 0) == PEAK
    assert cost_at(periods, 2026, 11, 16, 18, 59, 59) == PEAK
    assert cost_at(periods, 2026, 11, 16, 19, 0, 0) == OFFPEAK
    assert cost_at(periods, 2026, 11, 20, 10, 0) == PEAK  # Friday
    assert cost_at(periods, 2026, 11, 21, 10, 0) == OFFPEAK  # Saturday
    assert cost_at(periods, 2026, 11, 22, 10, 0) == OFFPEAK  # Sunday
    assert cost_at(periods, 2026, 11, 11, 10, 0) == OFFPEAK  # the holiday
    assert cost_at(periods, 2026, 11, 12, 10, 0) == PEAK  # the day after
    assert cost_at(periods, 2027, 5, 1, 10, 0) == OFFPEAK  # yearly, a Saturday anyway
    assert cost_at(periods, 2029, 5, 1, 10, 0) == OFFPEAK  # yearly, a Tuesday


def test_the_period_is_the_one_in_force_when_the_call_started() -> None:
    periods = Periods()
    evening = datetime.datetime(2026, 11, 16, 18, 59, 0)
    assert price(RATE, periods, evening, 3600) == 60 * PEAK  # an hour, mostly after 19:00
    morning = datetime.datetime(2026, 11, 16, 7, 59, 0)
    assert price(RATE, periods, morning, 3600) == 60 * OFFPEAK


def test_an_aware_start_is_read_on_its_own_clock() -> None:
    paris = datetime.timezone(datetime.timedelta(hours=1))
    start = datetime.datetime(2026, 11, 16, 8, 0, tzinfo=paris)  # 07:00 UTC
    assert price(RATE, Periods(), start, 60) == PEAK


def test_a_week_of_peak_ranges() -> None:
    t = datetime.time
    weekday = ((t(8), t(12)), (t(14), t(0)))  # a cheap lunch, peak until midnight
    periods = Periods(week=(weekday,) * 5 + (((t(8), t(12)),), ()))
    assert cost_at(periods, 2026, 11, 16, 11, 59, 59) == PEAK
    assert cost_at(periods, 2026, 11, 16, 12, 0) == OFFPEAK
    assert cost_at(periods, 2026, 11, 16, 14, 0) == PEAK
    assert cost_at(periods, 2026, 11, 16, 23, 59, 59) == PEAK
    assert cost_at(periods, 2026, 11, 17, 0, 0) == OFFPEAK
    assert cost_at(periods, 2026, 11, 21, 9, 0) == PEAK  # Saturday morning
    assert cost_at(periods, 2026, 11, 21, 12, 0) == OFFPEAK
    assert cost_at(periods, 2026, 11, 22, 9, 0) == OFFPEAK  # Sunday
    assert hash(periods) == hash(Periods(week=[list(weekday)] * 5 + [[(t(8), t(12))], []]))


def test_periods_that_cannot_be_are_refused() -> None:
    t = datetime.time
    with pytest.raises(ValueError, match="end after it starts"):
        Periods(t(19), t(8))
    with pytest.raises(ValueError, match="end after it starts"):
        Periods(t(8), t(8))
    with pytest.raises(ValueError, match="7"):
        Periods(week=(((t(8), t(19)),),) * 5)
    with pytest.raises(ValueError, match="weekdays"):
        Periods(peak_days=frozenset({7}))
    assert cost_at(Periods(t(0), t(0)), 2026, 11, 16, 23, 0) == PEAK  # all day


# -- VAT and amounts ---------------------------------------------------------------------------
def test_vat_rounds_half_up() -> None:
    assert with_vat(1000, Decimal("20")) == 1200
    assert with_vat(1000, 20) == 1200
    assert with_vat(3, Decimal("5.5")) == 3  # 3.165 → 3
    assert with_vat(5, Decimal("10")) == 6  # 5.5 → 6, half up
    assert with_vat(15, Decimal("10")) == 17  # 16.5 → 17
    assert with_vat(1, Decimal("50")) == 2  # 1.5 → 2
    assert with_vat(7, Decimal("0")) == 7
    assert with_vat(0, Decimal("20")) == 0
    assert with_vat(1000, Decimal("19.6")) == 1196
    with pytest.raises(TypeError):
        with_vat(1000, 19.6)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        with_vat(1000, Decimal("-1"))


@given(st.integers(0, 10**12), st.decimals(0, 100, places=2))
def test_vat_is_the_exact_decimal_result(amount, vat) -> None:
    expected = (Decimal(amount) * (1 + vat / 100)).quantize(Decimal(1), ROUND_HALF_UP)
    assert with_vat(amount, vat) == int(expected)


def test_amounts_are_shown_with_their_decimals() -> None:
    assert format_amount(12345) == "1.23" and format_amount(12350) == "1.24"
    assert format_amount(125, 4) == "0.0125" and format_amount(None) == ""
    assert format_amount(0) == "0.00" and format_amount(49) == "0.00"
    assert format_amount(50) == "0.01"
    assert format_amount(-12350) == "-1.24" and format_amount(-49) == "0.00"
    assert format_amount(15000, 0) == "2" and format_amount(12345, 6) == "1.234500"
    assert format_amount(123_456_789_0000) == "123456789.00"


@given(st.integers(-(10**15), 10**15), st.integers(0, 4))
def test_format_amount_agrees_with_decimal(amount, decimals) -> None:
    exact = (Decimal(amount) / 10_000).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    shown = format_amount(amount, decimals)
    assert Decimal(shown) == exact
    assert not shown.startswith("-0") or Decimal(shown) != 0


@given(st.integers(0, MAX_AMOUNT))
def test_what_is_shown_with_four_decimals_reads_back(amount) -> None:
    assert parse_amount(format_amount(amount, 4)) == amount
    assert parse_amount(format_amount(amount, 4).replace(".", ",")) == amount


def test_amounts_as_people_type_them() -> None:
    assert parse_amount("0,15") == 1500 and parse_amount("0.0125") == 125
    assert parse_amount(" 2 ") == 20000 and parse_amount("1.") == 10000
    assert parse_amount(",5") == 5000 and parse_amount("0.12340") == 1234
    assert parse_amount("1000000") == MAX_AMOUNT


@pytest.mark.parametrize("text,message", [
    ("", "Type an amount"),
    ("  ", "Type an amount"),
    ("abc", "“abc” is not an amount"),
    ("1e3", "is not an amount"),
    ("1_000", "is not an amount"),
    ("1 000,50", "is not an amount"),
    ("1,000.50", "is not an amount"),
    ("١٢", "is not an amount"),
    ("nan", "is not an amount"),
    (".", "is not an amount"),
    ("+1", "is not an amount"),
    ("-1", "cannot be negative (got “-1”)"),
    ("-0,5", "cannot be negative"),
    ("0.00001", "Four decimals at most (got “0.00001”)"),
    ("1000000.0001", "At most 1000000"),
    ("9" * 5000, "At most 1000000"),
])
def test_amounts_refused_with_a_reason(text, message) -> None:
    with pytest.raises(ValueError) as info:
        parse_amount(text)
    assert message in str(info.value)

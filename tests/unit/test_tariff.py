"""The pricing engine (centrex/reports/tariff.py): longest-prefix match, billing steps,
peak and off-peak, minimum and connection charges, VAT, amounts typed by people."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centrex.reports.tariff import (
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


def test_longest_prefix_wins() -> None:
    table = PrefixTable([("0", "national"), ("06", "mobile"), ("0033", "france"),
                         ("00", "international"), ("0899", "premium")])
    assert table.lookup("0611223344") == "mobile"
    assert table.lookup("0140000000") == "national"
    assert table.lookup("0033140000000") == "france"
    assert table.lookup("0044207") == "international"
    assert table.lookup("08991234") == "premium"
    assert table.lookup("112") is None
    with pytest.raises(ValueError):
        PrefixTable([("06", "a"), ("06", "b")])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text("0123456789", min_size=1, max_size=6), st.integers(),
                       max_size=40),
       st.text("0123456789", max_size=12))
def test_the_same_answer_as_trying_every_prefix(pairs, number) -> None:
    matching = [p for p in pairs if number.startswith(p)]
    expected = pairs[max(matching, key=len)] if matching else None
    assert PrefixTable(pairs.items()).lookup(number) == expected


@pytest.mark.parametrize("first,step,billsec,charged", [
    (1, 1, 61, 61),        # per second
    (60, 60, 61, 120),     # per minute
    (60, 60, 60, 60),
    (60, 1, 5, 60),        # first minute indivisible
    (60, 1, 61, 61),       # then per second
    (30, 6, 31, 36),       # 30/6
    (30, 6, 0, 0),         # not answered: nothing
])
def test_billing_steps(first, step, billsec, charged) -> None:
    assert billed_seconds(Rate(0, 0, first_increment=first, increment=step), billsec) == charged


def test_price_setup_minimum_and_rounding_once() -> None:
    periods = Periods()
    per_second = Rate(peak=1250, offpeak=600)  # 0.125 and 0.06 per minute
    assert price(per_second, periods, MONDAY_10, 60) == 1250
    assert price(per_second, periods, MONDAY_10, 1) == 21  # 20.83 → 21, once
    assert price(per_second, periods, MONDAY_10, 0) == 0
    with_charges = Rate(peak=1250, offpeak=600, setup=500, minimum=1000)
    assert price(with_charges, periods, MONDAY_10, 1) == 1000  # 500 + 21 < minimum
    assert price(with_charges, periods, MONDAY_10, 120) == 500 + 2500


def test_peak_and_off_peak_at_the_boundaries() -> None:
    rate = Rate(peak=6000, offpeak=3000)
    holiday = datetime.date(2026, 11, 11)
    periods = Periods(datetime.time(8), datetime.time(19), holidays=frozenset({holiday}),
                      yearly_holidays=frozenset({(5, 1)}))
    assert price(rate, periods, datetime.datetime(2026, 11, 16, 7, 59, 59), 60) == 3000
    assert price(rate, periods, datetime.datetime(2026, 11, 16, 8, 0, 0), 60) == 6000
    assert price(rate, periods, datetime.datetime(2026, 11, 16, 18, 59, 59), 60) == 6000
    assert price(rate, periods, datetime.datetime(2026, 11, 16, 19, 0, 0), 60) == 3000
    assert price(rate, periods, datetime.datetime(2026, 11, 21, 10, 0), 60) == 3000  # Sat
    assert price(rate, periods, datetime.datetime(2026, 11, 11, 10, 0), 60) == 3000
    assert price(rate, periods, datetime.datetime(2027, 5, 1, 10, 0), 60) == 3000  # yearly


def test_vat_and_amounts() -> None:
    assert with_vat(1000, Decimal("20")) == 1200
    assert with_vat(3, Decimal("5.5")) == 3  # 3.165 → 3
    assert with_vat(5, Decimal("10")) == 6  # 5.5 → 6, half up
    assert format_amount(12345) == "1.23" and format_amount(12350) == "1.24"
    assert format_amount(125, 4) == "0.0125" and format_amount(None) == ""
    assert parse_amount("0,15") == 1500 and parse_amount("0.0125") == 125
    assert parse_amount(" 2 ") == 20000
    for bad in ("", "abc", "-1", "0.00001", "1e400", "nan", "inf", "2000000"):
        with pytest.raises(ValueError):
            parse_amount(bad)

"""The pricing engine (centrex/reports/tariff.py): longest-prefix match, billing steps,
peak and off-peak, minimum and connection charges, VAT, amounts typed by people; and the
tariff file checked line by line (billing.check_tariff). No database, no Asterisk."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from centrex.core.importexport import read_file
from centrex.reports import billing
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


# -- tariff files (billing.check_tariff) -------------------------------------------------------
HEADER = "prefix;zone;peak;offpeak;setup;minimum;first_increment;increment;forbidden\n"


def check(text: str) -> billing.TariffFile:
    """The file as the import page reads it (billing.import_tariff, without the database)."""
    return billing.check_tariff(read_file("tariff.csv", text.encode(), billing.COLUMNS,
                                          max_rows=billing.MAX_PREFIXES,
                                          optional=billing.OPTIONAL))


def problems_of(text: str) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.message) for p in check(text).problems]


def test_a_tariff_file_as_written() -> None:
    checked = check(HEADER
                    + "0033;France;0,12;0,06;0,05;0,1;60;1;no\n"
                    + "06;Mobile;0.2;0.1;;;;;\n"
                    + "+44;UK;0,3;0,2;;;30;6;NON\n"
                    + "089;Forbidden;;;;;;;oui\n"
                    + " 07 ;Mobile;0.2;0.1;;;;;;;\n")  # a spreadsheet's trailing cells
    assert checked.problems == []
    assert checked.prefixes == {"0033": "France", "06": "Mobile", "0044": "UK",
                                "089": "Forbidden", "07": "Mobile"}
    assert checked.zones == {"France": Rate(1200, 600, 500, 1000, 60, 1, False),
                             "Mobile": Rate(2000, 1000, 0, 0, 1, 1, False),
                             "UK": Rate(3000, 2000, 0, 0, 30, 6, False),
                             "Forbidden": Rate(0, 0, 0, 0, 1, 1, True)}


def test_every_problem_of_every_line_is_named() -> None:
    found = problems_of(
        HEADER
        + "00a3;France;0,12;0,06;;;;;\n"                        # 2
        + "0033333333333333;X;0,12;0,06;;;;;\n"                 # 3: 16 digits
        + "٠٦;X;0,12;0,06;;;;;\n"                               # 4: digits, not 0-9
        + "33+1;X;0,12;0,06;;;;;\n"                             # 5: + inside
        + ";;0,12;0,06;;;;;\n"                                  # 6: no prefix, no zone
        + "01;Nat\tional;-0,5;0,00001;x;1e3;0;3601;peut-être\n"  # 7
        + "02;" + "Z" * 61 + ";0,1;0,1;;;²;" + "9" * 5000 + ";\n"  # 8
        + "03;National;;0,1;;;;;\n")                            # 9: no peak price
    assert found == [
        (2, "prefix", "A prefix is made of 1 to 15 digits, got “00a3”."),
        (3, "prefix", "A prefix is made of 1 to 15 digits, got “0033333333333333”."),
        (4, "prefix", "A prefix is made of 1 to 15 digits, got “٠٦”."),
        (5, "prefix", "A prefix is made of 1 to 15 digits, got “33+1”."),
        (6, "prefix", "A prefix is made of 1 to 15 digits, got “”."),
        (6, "zone", "A zone is a name of 1 to 60 printable characters."),
        (7, "zone", "A zone is a name of 1 to 60 printable characters."),
        (7, "forbidden", "Write yes or no (got “peut-être”)."),
        (7, "peak", "An amount cannot be negative (got “-0,5”)."),
        (7, "offpeak", "Four decimals at most (got “0,00001”)."),
        (7, "setup", "“x” is not an amount: digits with a point or a comma, such as 0.15 "
                     "or 0,0125."),
        (7, "minimum", "“1e3” is not an amount: digits with a point or a comma, such as "
                       "0.15 or 0,0125."),
        (7, "first_increment", "A number of seconds from 1 to 3600, got “0”."),
        (7, "increment", "A number of seconds from 1 to 3600, got “3601”."),
        (8, "zone", "A zone is a name of 1 to 60 printable characters."),
        (8, "first_increment", "A number of seconds from 1 to 3600, got “²”."),
        (8, "increment", f"A number of seconds from 1 to 3600, got “{'9' * 30}”."),
        (9, "peak", "Type an amount, such as 0.15."),
    ]


def test_a_line_with_more_cells_than_columns_is_refused_whole() -> None:
    """A decimal comma in a comma-separated file shifts every cell after it: "0,12" would
    read as a peak of 0 and an off-peak of 12 per minute."""
    found = problems_of("prefix,zone,peak,offpeak\n0033,France,0,12,0,06\n"
                        "06,Mobile,0.2,0.1\n")
    assert found == [(2, "", "More cells than the header has columns (with “,” as "
                             "separator, write decimal commas between quotes).")]
    quoted = check('prefix,zone,peak,offpeak\n0033,France,"0,12","0,06"\n')
    assert quoted.problems == [] and quoted.zones["France"] == Rate(1200, 600)


def test_the_reasons_are_in_french_for_a_french_reader() -> None:
    with translation.override("fr"):
        [problem] = check(HEADER + "06;Mobile;-1;0,1;;;;;\n").problems
    assert problem.message == "Un montant ne peut pas être négatif (reçu « -1 »)."


def test_a_prefix_twice_names_the_first_line() -> None:
    found = problems_of(HEADER + "0033;France;0,12;0,06\n06;Mobile;0,2;0,1\n"
                        "+33;France;0,12;0,06\n")
    assert found == [(4, "prefix", "The prefix 0033 is already on line 2.")]


def test_a_zone_has_one_rate_and_the_message_names_its_line() -> None:
    found = problems_of(HEADER + "06;Mobile;0,2;0,1\n01;National;0,1;0,1\n"
                        "07;Mobile;0,2;0,15\n")
    assert found == [(4, "zone", "The zone “Mobile” has other prices on line 2.")]


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.text("0123456789", min_size=1, max_size=15),
                       st.sampled_from(["France", "Mobile", "Côte d'Ivoire", "UK"]),
                       min_size=1, max_size=30))
def test_what_is_checked_is_what_was_written(pairs) -> None:
    rates = {"France": ("0,12", "0,06", 1200, 600), "Mobile": ("0.2", "0.1", 2000, 1000),
             "Côte d'Ivoire": ("1", "0,9", 10000, 9000), "UK": ("0", "0", 0, 0)}
    text = HEADER + "".join(f"{p};{z};{rates[z][0]};{rates[z][1]}\n" for p, z in pairs.items())
    checked = check(text)
    assert checked.problems == []
    assert checked.prefixes == pairs
    assert {z: (r.peak, r.offpeak) for z, r in checked.zones.items()} == {
        z: rates[z][2:] for z in pairs.values()}

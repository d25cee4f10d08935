"""Micro-benchmark of the pricing engine (centrex/reports/tariff.py), no database: a
10,000-prefix tariff (French national, mobile, premium and forbidden numbers, and the
world's countries split by area and operator ranges) written as a CSV file, read and
checked as the import page does it (importexport.read_file, billing.check_tariff), then
1,000,000 synthetic answered outgoing calls looked up and priced (peak/off-peak, steps,
minimum, VAT) the way billing.Pricer.apply does it.

Usage: ``.venv/bin/python bench/tariff.py [--calls 1000000] [--prefixes 10000]``.
Target (issue 7): more than 300,000 lookups/s on one core; pricing well above the
100,000 CDRs/s the ingestion needs, since ingestion does more than price.
"""

from __future__ import annotations

import argparse
import atexit
import datetime
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# billing imports the models: the settings need a folder for their state, never read here.
os.environ["CENTREX_VAR_DIR"] = tempfile.mkdtemp(prefix="centrex-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centrex.settings.base")

import django

django.setup()

from centrex.core.importexport import read_file  # noqa: E402
from centrex.reports import billing, tariff  # noqa: E402

atexit.register(shutil.rmtree, os.environ["CENTREX_VAR_DIR"], ignore_errors=True)

# Country calling codes (a good part of the ITU list), the international zones' base.
CODES = (
    "1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 "
    "61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98 211 212 213 216 218 220 221 222 "
    "223 224 225 226 227 228 229 230 231 232 233 234 235 236 237 238 239 240 241 242 243 "
    "244 245 248 249 250 251 252 253 254 255 256 257 258 260 261 262 263 264 265 266 267 "
    "268 269 290 291 297 298 299 350 351 352 353 354 355 356 357 358 359 370 371 372 373 "
    "374 375 376 377 378 380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 "
    "505 506 507 508 509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 "
    "677 678 679 680 681 682 683 685 686 687 688 689 690 691 692 850 852 853 855 856 880 "
    "886 960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 992 993 994 "
    "995 996 998")
COUNTRIES = CODES.split()
EUROPE = ("3", "4")
VAT = Decimal("20")


def make_tariff(rng: random.Random, size: int) -> str:
    """The tariff as the CSV file an administrator would import (";", decimal commas)."""
    zones = {  # name: (peak, offpeak, setup, minimum, first step, step, forbidden)
        "National": ("0,02", "0,01", "", "", "60", "1", "no"),
        "Mobile": ("0,08", "0,05", "0,01", "", "60", "1", "no"),
        "Premium": ("0,34", "0,34", "0,12", "0,5", "60", "60", "no"),
        "Free": ("0", "0", "", "", "", "", "no"),
        "Forbidden": ("", "", "", "", "", "", "yes"),
    }
    prefixes = {f"0{d}": "National" for d in "12345"} | {
        "06": "Mobile", "07": "Mobile", "08": "Premium", "080": "Free", "089": "Forbidden"}
    for country in COUNTRIES:
        tier = "Europe" if country.startswith(EUROPE) else rng.choice(("World 1", "World 2",
                                                                       "World 3"))
        prefixes[f"00{country}"] = f"{tier} fixed"
    zones |= {
        "Europe fixed": ("0,05", "0,04", "", "", "30", "6", "no"),
        "Europe mobile": ("0,15", "0,12", "", "0,1", "30", "6", "no"),
        "World 1 fixed": ("0,1", "0,08", "", "", "60", "60", "no"),
        "World 1 mobile": ("0,25", "0,2", "", "", "60", "60", "no"),
        "World 2 fixed": ("0,35", "0,3", "0,1", "", "60", "60", "no"),
        "World 2 mobile": ("0,6", "0,5", "0,1", "", "60", "60", "no"),
        "World 3 fixed": ("1,2", "1,1", "0,2", "1", "60", "60", "no"),
        "World 3 mobile": ("2,4", "2,2", "0,2", "1", "60", "60", "no"),
        "Satellite": ("8,5", "8,5", "1", "5", "60", "60", "no"),
    }
    for satellite in ("00870", "00881", "00882"):
        prefixes[satellite] = "Satellite"
    # Operator ranges: a country's mobile blocks, 1 to 4 digits after the country code.
    while len(prefixes) < size:
        country = rng.choice(COUNTRIES)
        block = str(rng.randint(0, 9999)).rjust(rng.randint(1, 4), "0")[:rng.randint(1, 4)]
        tier = prefixes[f"00{country}"].removesuffix(" fixed")
        prefixes.setdefault(f"00{country}{block}", f"{tier} mobile")
    lines = [";".join((*billing.COLUMNS, *billing.OPTIONAL))]
    lines += [";".join((prefix, zone, *zones[zone])) for prefix, zone in prefixes.items()]
    return "\r\n".join(lines) + "\r\n"


HOURLY = [1, 1, 1, 1, 1, 2, 5, 20, 70, 100, 100, 90, 60, 70, 100, 95, 85, 70, 40, 15, 6,
          3, 2, 1]


def make_calls(rng: random.Random, count: int, international: list[str],
               ) -> list[tuple[str, datetime.datetime, int]]:
    """(dialled number, local start, billsec): mostly national and mobile calls on
    weekdays in office hours, some abroad, a few premium, forbidden or unknown numbers."""
    year = datetime.datetime(2026, 1, 1)
    days = [year + datetime.timedelta(days=d) for d in range(365)]
    weights = [5 if day.weekday() < 5 else 1 for day in days]
    start_days = rng.choices(days, weights, k=count)
    hours = rng.choices(range(24), HOURLY, k=count)
    calls = []
    for day, hour in zip(start_days, hours, strict=True):
        kind = rng.random()
        if kind < 0.45:
            number = f"0{rng.randint(1, 5)}{rng.randint(0, 99_999_999):08d}"
        elif kind < 0.80:
            number = f"0{rng.choice('67')}{rng.randint(0, 99_999_999):08d}"
        elif kind < 0.83:
            number = f"08{rng.randint(0, 99_999_999):08d}"
        elif kind < 0.99:
            prefix = rng.choice(international)
            number = prefix + str(rng.randint(0, 10 ** (14 - len(prefix))))
        else:
            number = rng.choice(("112", "3620", "118712", "15"))  # no zone: listed apart
        start = day + datetime.timedelta(hours=hour, seconds=rng.randint(0, 3599))
        calls.append((number, start, 1 + int(rng.expovariate(1 / 150))))
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--prefixes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)  # noqa: S311 - synthetic data, the same each run

    data = make_tariff(rng, args.prefixes).encode()
    began = time.perf_counter()
    records = read_file("tariff.csv", data, billing.COLUMNS, max_rows=billing.MAX_PREFIXES,
                        optional=billing.OPTIONAL)
    read_seconds = time.perf_counter() - began
    began = time.perf_counter()
    checked = billing.check_tariff(records)
    check_seconds = time.perf_counter() - began
    if checked.problems:
        raise SystemExit(f"the generated tariff has problems: {checked.problems[:3]}")
    began = time.perf_counter()
    table = tariff.PrefixTable(checked.prefixes.items())
    build_seconds = time.perf_counter() - began
    rates = checked.zones
    periods = tariff.Periods(holidays=frozenset({datetime.date(2026, 5, 1),
                                                 datetime.date(2026, 12, 25)}))
    calls = make_calls(rng, args.calls, [p for p in checked.prefixes if p.startswith("00")])
    numbers = [number for number, _start, _billsec in calls]

    lookup = table.lookup
    began = time.perf_counter()
    for number in numbers:
        lookup(number)
    lookup_seconds = time.perf_counter() - began

    price, with_vat = tariff.price, tariff.with_vat
    priced = unmatched = forbidden = 0
    total = total_vat = 0
    began = time.perf_counter()
    for number, start, billsec in calls:  # what billing.Pricer.apply does, minus the model
        zone = lookup(number)
        if zone is None:
            unmatched += 1
            continue
        rate = rates[zone]
        if rate.forbidden:
            forbidden += 1
            continue
        cost = price(rate, periods, start, billsec)
        total += cost
        total_vat += with_vat(cost, VAT)
        priced += 1
    price_seconds = time.perf_counter() - began

    lengths = sorted({len(prefix) for prefix in checked.prefixes})
    print(f"python {platform.python_version()} on {platform.machine()}, one core")
    print(f"tariff: {len(table):,} prefixes of lengths {lengths[0]} to {lengths[-1]}, "
          f"{len(rates)} zones")
    print(f"read_file: {len(records):,} lines in {read_seconds * 1000:.0f} ms; check_tariff: "
          f"{check_seconds * 1000:.0f} ms ({len(records) / check_seconds:,.0f} lines/s); "
          f"table built in {build_seconds * 1000:.1f} ms")
    print(f"lookups: {len(numbers):,} in {lookup_seconds:.2f} s = "
          f"{len(numbers) / lookup_seconds:,.0f} lookups/s")
    print(f"pricing (lookup + price + VAT): {len(calls):,} calls in {price_seconds:.2f} s = "
          f"{len(calls) / price_seconds:,.0f} calls/s ({priced:,} priced, {unmatched:,} "
          f"without a zone, {forbidden:,} forbidden)")
    print(f"total: {tariff.format_amount(total)} excl. VAT, "
          f"{tariff.format_amount(total_vat)} incl. VAT")


if __name__ == "__main__":
    main()

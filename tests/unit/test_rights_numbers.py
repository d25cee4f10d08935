"""The number classifier (centrex.rights.numbers): Python (phonenumbers) is the truth, and
the dialplan rules rendered from the same metadata give the same answer on every number of
the table and on a large random sample (Asterisk's pattern matching emulated here; the
integration tests check the real Asterisk on the table)."""

from __future__ import annotations

import random

import phonenumbers as pn
import pytest

from centrex.rights import numbers as n
from centrex.rights.models import DEFAULT_EMERGENCY

# (dialled in France, class, country of an international number)
FR_TABLE = [
    ("112", n.EMERGENCY, ""),
    ("15", n.EMERGENCY, ""),
    ("0142685300", n.LOCAL, ""),
    ("0556123456", n.LOCAL, ""),
    ("+33142685300", n.LOCAL, ""),
    ("0033142685300", n.LOCAL, ""),
    ("0972123456", n.LOCAL, ""),  # VoIP (box) numbers are billed as fixed lines
    ("0612345678", n.MOBILE, ""),
    ("0755123456", n.MOBILE, ""),
    ("+33612345678", n.MOBILE, ""),
    ("0800123456", n.SERVICES, ""),  # toll free
    ("0899123456", n.SERVICES, ""),  # premium rate
    ("0810123456", n.SERVICES, ""),  # shared cost
    ("3615", n.SERVICES, ""),
    ("118218", n.SERVICES, ""),
    ("0044207946000", n.INTERNATIONAL, "GB"),
    ("+447700900123", n.INTERNATIONAL, "GB"),
    ("0049301234567", n.INTERNATIONAL, "DE"),
    ("0012125550100", n.INTERNATIONAL, "US"),
    ("+3225551234", n.INTERNATIONAL, "BE"),
    ("061234", n.UNKNOWN, ""),  # too short for a mobile
    ("06123456789", n.UNKNOWN, ""),  # too long
    ("0033612", n.UNKNOWN, ""),
    ("99", n.UNKNOWN, ""),
    ("", n.UNKNOWN, ""),
]


@pytest.mark.parametrize(("number", "expected", "country"), FR_TABLE)
def test_french_numbers(number, expected, country):
    result = n.classify(number, "FR", DEFAULT_EMERGENCY)
    assert (result.number_class, result.country) == (expected, country)
    assert n.dialplan_class(number, "FR", DEFAULT_EMERGENCY) == expected


def test_internal_numbers_come_after_emergency_numbers():
    assert n.classify("3300", "FR", DEFAULT_EMERGENCY, internal=True).number_class == \
        n.INTERNAL
    assert n.classify("112", "FR", DEFAULT_EMERGENCY, internal=True).number_class == \
        n.EMERGENCY


def test_classes_agree_with_phonenumbers_number_type():
    for number, expected in [("0142685300", n.LOCAL), ("0612345678", n.MOBILE),
                             ("0899123456", n.SERVICES)]:
        kind = pn.number_type(pn.parse(number, "FR"))
        assert n.TYPE_CLASS[kind] == expected


def test_rights_and_allowed_countries():
    local = n.classify("0142685300", "FR")
    gb = n.classify("0044207946000", "FR")
    assert n.allowed(local, ["local"], [])
    assert not n.allowed(local, ["mobile"], [])
    assert not n.allowed(gb, ["international"], ["DE"])
    assert n.allowed(gb, ["international"], ["GB", "DE"])
    assert not n.allowed(gb, ["local"], ["GB"])
    assert n.allowed(n.classify("112", "FR", ["112"]), [], [])
    assert not n.allowed(n.classify("99", "FR"), ["internal", "services", "local", "mobile",
                                                  "international"], ["GB"])


def test_country_patterns_cover_every_form_of_the_allowed_countries():
    pats = n.country_patterns("FR", ["GB", "US"])
    assert pats == ["_+1.", "_001.", "_+44.", "_0044."]
    assert n.country_patterns("FR", ["FR"]) == []


def _random_numbers(rng: random.Random, count: int) -> list[str]:
    prefixes = ["0", "00", "+", "0033", "+33", "1", "3", "6", "7", "8", ""]
    out = []
    for _ in range(count):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 13)))
        out.append(rng.choice(prefixes) + digits)
    return out


@pytest.mark.parametrize("home", ["FR", "BE", "CH", "GB", "US", "DE"])
def test_dialplan_rules_agree_with_python_on_random_numbers(home):
    rng = random.Random(home)
    emergency = ["112"]
    meta = pn.PhoneMetadata.metadata_for_region(home)
    samples = _random_numbers(rng, 3000)
    # Valid numbers of every type, dialled in each form, so each rule is exercised.
    for kind in n.TYPE_CLASS:
        example = pn.example_number_for_type(home, kind)
        if example is not None:
            nsn = pn.national_significant_number(example)
            samples += [f"+{meta.country_code}{nsn}", nsn]
            if meta.national_prefix:
                samples.append(meta.national_prefix + nsn)
    disagree = [(num, n.classify(num, home, emergency).number_class,
                 n.dialplan_class(num, home, emergency))
                for num in samples
                if n.classify(num, home, emergency).number_class
                != n.dialplan_class(num, home, emergency)]
    assert not disagree, disagree[:20]


def test_patterns_are_compact_asterisk_classes():
    assert n.pattern("0", (n.DIGITS, frozenset("67"), frozenset("5"))) == "_0X[6-7]5"
    assert n.pattern("", (n.DIGITS - {"0"}, n.DIGITS - {"0", "1"})) == "_ZN"
    assert n.pattern_matches("_06[0-24-8]XXXXXXX", "0612345678")
    assert not n.pattern_matches("_06[0-24-8]XXXXXXX", "0632345678")

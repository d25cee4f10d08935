"""Number classes, from the ``phonenumbers`` metadata of the home country.

Python is the source of truth: :func:`classify` reads the home country's ``phonenumbers``
metadata the way ``number_type`` does (same type order, lengths and patterns, but always the
home region's, even for a calling code several regions share) and ``shortnumberinfo`` for
short numbers. The dialplan must give the same
answer with the portal down, so :func:`dialplan_rules` turns the very metadata
``phonenumbers`` uses (its per-type regular expressions, possible lengths and type order)
into Asterisk extension patterns: every expression is bounded (``\\d{6}``, alternations,
character classes), so it expands exactly into patterns of one character class per digit,
intersected position by position with the country's general pattern. Each type gets its
own context, checked in ``phonenumbers``' order, so overlaps resolve the same way.
Tests compare both on a table of numbers, in Python and through a real Asterisk.

Numbers are classified as dialled in the home country: national prefix (``0`` in
France), international prefix (``00``) or ``+`` then the country code, or a short number.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers as pn
from phonenumbers import PhoneMetadata, PhoneNumberType, shortnumberinfo
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

EMERGENCY = "emergency"
INTERNAL = "internal"
SERVICES = "services"
LOCAL = "local"
MOBILE = "mobile"
INTERNATIONAL = "international"
UNKNOWN = "unknown"

# phonenumbers' own order (phonenumberutil._number_type_helper): the first type that
# matches wins, so the dialplan checks the same order.
TYPE_ORDER = (
    ("premium_rate", SERVICES), ("toll_free", SERVICES), ("shared_cost", SERVICES),
    ("voip", LOCAL), ("personal_number", SERVICES), ("pager", SERVICES), ("uan", SERVICES),
    ("voicemail", SERVICES), ("fixed_line", LOCAL), ("mobile", MOBILE),
)
TYPE_CLASS = {
    PhoneNumberType.PREMIUM_RATE: SERVICES, PhoneNumberType.TOLL_FREE: SERVICES,
    PhoneNumberType.SHARED_COST: SERVICES, PhoneNumberType.VOIP: LOCAL,
    PhoneNumberType.PERSONAL_NUMBER: SERVICES, PhoneNumberType.PAGER: SERVICES,
    PhoneNumberType.UAN: SERVICES, PhoneNumberType.VOICEMAIL: SERVICES,
    PhoneNumberType.FIXED_LINE: LOCAL, PhoneNumberType.FIXED_LINE_OR_MOBILE: LOCAL,
    PhoneNumberType.MOBILE: MOBILE,
}
# Above this many patterns for one expression, the metadata is not what we expect.
MAX_PATTERNS = 50_000
DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class Result:
    """A number's class, and for an international number its country (ISO region)."""

    number_class: str
    country: str = ""
    country_code: int = 0


def normalize(number: str) -> str:
    """Digits and ``+`` only (what the dialplan keeps with ``FILTER(0-9+,...)``)."""
    return re.sub(r"[^0-9+]", "", number or "")


def regions() -> list[str]:
    """Every ISO region ``phonenumbers`` knows (the choices of the allowed countries)."""
    return sorted(r for r in pn.SUPPORTED_REGIONS if r != "001")


# -- Python: the source of truth -----------------------------------------------------------
def _metadata(region: str) -> PhoneMetadata:
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None:
        raise ValueError(f"unknown region {region!r}")
    return meta


def _intl_prefix_len(digits: str, meta: PhoneMetadata) -> int:
    """Length of the international prefix ``digits`` starts with (0: none)."""
    match = re.match(f"(?:{meta.international_prefix})", digits) if meta.international_prefix \
        else None
    return match.end() if match else 0


def _number(cc: int, nsn: str) -> pn.PhoneNumber:
    zeros = len(nsn) - len(nsn.lstrip("0"))
    num = pn.PhoneNumber(country_code=cc, national_number=int(nsn))
    if zeros:
        num.italian_leading_zero = True
        if zeros > 1:
            num.number_of_leading_zeros = zeros
    return num


def _split_international(number: str, meta: PhoneMetadata) -> tuple[int, str] | None:
    """(country code, rest) of a number dialled in international form, else None."""
    if number.startswith("+"):
        rest = number[1:]
    else:
        skip = _intl_prefix_len(number, meta)
        if not skip:
            return None
        rest = number[skip:]
    if not rest.isdigit() or rest.startswith("0"):
        return None
    for size in (1, 2, 3):
        cc = int(rest[:size]) if len(rest) > size else -1
        if cc in COUNTRY_CODE_TO_REGION_CODE:
            return cc, rest[size:]
    return None


def _matches(nsn: str, desc) -> bool:
    """phonenumbers' ``_is_number_matching_desc``: possible lengths, then the pattern."""
    if desc is None or not desc.national_number_pattern:
        return False
    if desc.possible_length and len(nsn) not in desc.possible_length:
        return False
    return re.fullmatch(desc.national_number_pattern, nsn) is not None


def _national_class(nsn: str, meta: PhoneMetadata) -> str | None:
    """The class of a national significant number by the home country's own metadata, in
    phonenumbers' type order (``number_type`` would pick another region for a code shared
    by several: a Jersey number dialled in the UK is a UK national call)."""
    if not nsn.isdigit() or not _matches(nsn, meta.general_desc):
        return None
    for name, number_class in TYPE_ORDER:
        if name == "mobile" and meta.same_mobile_and_fixed_line_pattern:
            continue
        if _matches(nsn, getattr(meta, name)):
            return number_class
    return None


def classify(number: str, home: str = "FR", emergency: Iterable[str] = (),
             internal: bool = False) -> Result:
    """The class of ``number`` dialled from ``home``: emergency (one of ``emergency``),
    internal (``internal``: the caller knows it is in the numbering plan), services,
    local, mobile, international (with its country), or unknown (refused to everybody)."""
    number = normalize(number)
    if not number:
        return Result(UNKNOWN)
    if number in set(emergency):
        return Result(EMERGENCY)
    if internal:
        return Result(INTERNAL)
    meta = _metadata(home)
    cc = meta.country_code
    intl = _split_international(number, meta)
    if intl is not None and intl[0] == cc:
        found = _national_class(intl[1], meta)
        if found:
            return Result(found)
    elif intl is None and meta.national_prefix and number.startswith(meta.national_prefix):
        found = _national_class(number[len(meta.national_prefix):], meta)
        if found:
            return Result(found)
    if number.isdigit() and shortnumberinfo.is_valid_short_number_for_region(
            _number(cc, number), home):
        return Result(SERVICES)
    if intl is not None and intl[0] != cc:
        country = pn.region_code_for_country_code(intl[0])
        return Result(INTERNATIONAL, country, intl[0])
    return Result(UNKNOWN)


def country_codes(countries: Iterable[str]) -> set[int]:
    """The calling codes of ``countries``: countries sharing a code (+1 North America, +7,
    +44...) are allowed together, as the dialplan sees only the code."""
    return {code for code in (pn.country_code_for_region(c) for c in countries) if code}


def allowed(result: Result, rights: Iterable[str], allowed_countries: Iterable[str]) -> bool:
    """Whether a phone with ``rights`` may call a number of this class."""
    if result.number_class == EMERGENCY:
        return True
    if result.number_class == UNKNOWN or result.number_class not in set(rights):
        return False
    if result.number_class == INTERNATIONAL:
        return result.country_code in country_codes(allowed_countries)
    return True


# -- the same, as Asterisk extension patterns ------------------------------------------------
Shape = tuple[frozenset, ...]  # one set of allowed digits per position


def _expand(nodes) -> list[Shape]:
    """Every shape a parsed, bounded regular expression matches."""
    shapes: list[Shape] = [()]
    for op, av in nodes:
        if op is sre_constants.LITERAL:
            options = [(frozenset(chr(av)),)]
        elif op is sre_constants.IN:
            options = [(_charset(av),)]
        elif op is sre_constants.SUBPATTERN:
            options = _expand(av[-1])
        elif op is sre_constants.BRANCH:
            options = [shape for branch in av[1] for shape in _expand(branch)]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, sub = av
            if high is sre_constants.MAXREPEAT or high > 30:
                raise ValueError("unbounded repetition in a number pattern")
            inner = _expand(sub)
            options = []
            for count in range(low, high + 1):
                options += [tuple(itertools.chain(*combo))
                            for combo in itertools.product(inner, repeat=count)]
        else:
            raise ValueError(f"unsupported regular expression element {op}")
        shapes = [a + b for a in shapes for b in options]
        if len(shapes) > MAX_PATTERNS:
            raise ValueError("number pattern too large to expand")
    return shapes


def _charset(items) -> frozenset:
    chars: set[str] = set()
    negate = False
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre_constants.CATEGORY and av is sre_constants.CATEGORY_DIGIT:
            chars.update(DIGITS)
        elif op is sre_constants.NEGATE:
            negate = True
        else:
            raise ValueError(f"unsupported character class element {op}")
    return frozenset(DIGITS - chars if negate else chars & DIGITS)


def shapes(pattern: str | None, lengths: Iterable[int] = ()) -> list[Shape]:
    """The shapes of a ``phonenumbers`` pattern, kept to ``lengths`` when given."""
    if not pattern:
        return []
    keep = set(lengths)
    found = _expand(sre_parse.parse(pattern))
    return sorted({s for s in found if all(s) and (not keep or len(s) in keep)},
                  key=_shape_key)


def _shape_key(shape: Shape) -> tuple:
    return tuple(sorted(pos) for pos in shape)


def _desc_shapes(desc, general: list[Shape]) -> list[Shape]:
    """Shapes of a type, intersected with the general description (phonenumbers checks
    both)."""
    if desc is None or not desc.national_number_pattern:
        return []
    own = shapes(desc.national_number_pattern, desc.possible_length)
    out = set()
    for a in own:
        for b in general:
            if len(a) == len(b):
                both = tuple(x & y for x, y in zip(a, b, strict=True))
                if all(both):
                    out.add(both)
    return sorted(out, key=_shape_key)


def _char(pos: frozenset) -> str:
    if pos == DIGITS:
        return "X"
    if pos == DIGITS - {"0"}:
        return "Z"
    if pos == DIGITS - {"0", "1"}:
        return "N"
    if len(pos) == 1:
        return next(iter(pos))
    digits = sorted(pos)
    ranges, start = [], digits[0]
    for prev, cur in itertools.pairwise([*digits, None]):
        if cur is None or ord(cur) != ord(prev) + 1:
            ranges.append(start if start == prev else f"{start}-{prev}")
            start = cur
    return "[" + "".join(ranges) + "]"


def pattern(prefix: str, shape: Shape) -> str:
    """An Asterisk extension pattern: a literal ``prefix`` then the shape."""
    return "_" + prefix + "".join(_char(p) for p in shape)


def _intl_forms(meta: PhoneMetadata) -> list[Shape]:
    return shapes(meta.international_prefix) if meta.international_prefix else []


@lru_cache(maxsize=8)
def dialplan_rules(home: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name, class, patterns), checked in this order by ``centrex-sub-check-rights``:
    the home country's number types (phonenumbers' order), its short numbers, then every
    other country code (international, allowed or not by the settings)."""
    meta = _metadata(home)
    general = shapes(meta.general_desc.national_number_pattern,
                     meta.general_desc.possible_length)
    intl = [pattern("", s)[1:] for s in _intl_forms(meta)]
    forms = [f"+{meta.country_code}", *(p + str(meta.country_code) for p in intl)]
    if meta.national_prefix:
        forms.append(meta.national_prefix)
    rules = []
    for name, number_class in TYPE_ORDER:
        if name == "mobile" and meta.same_mobile_and_fixed_line_pattern:
            continue
        found = _desc_shapes(getattr(meta, name), general)
        pats = tuple(pattern(form, s) for form in forms for s in found)
        if pats:
            rules.append((name.replace("_", "-"), number_class, pats))
    short = PhoneMetadata.short_metadata_for_region(home)
    if short is not None:
        short_general = shapes(short.general_desc.national_number_pattern,
                               short.general_desc.possible_length)
        found = _desc_shapes(short.short_code, short_general)
        rules.append(("short", SERVICES, tuple(pattern("", s) for s in found)))
    foreign = tuple(f"_{form}{code}." for code in sorted(COUNTRY_CODE_TO_REGION_CODE)
                    if code != meta.country_code for form in ["+", *intl])
    rules.append(("foreign", INTERNATIONAL, foreign))
    return tuple(rules)


def country_patterns(home: str, countries: Iterable[str]) -> list[str]:
    """Patterns of the international numbers allowed by the settings."""
    meta = _metadata(home)
    intl = [pattern("", s)[1:] for s in _intl_forms(meta)]
    return [f"_{form}{code}." for code in sorted(country_codes(countries))
            if code != meta.country_code for form in ["+", *intl]]


# -- Asterisk's pattern matching, for the tests that compare both sides ----------------------
def pattern_matches(pat: str, number: str) -> bool:
    """Whether an Asterisk extension pattern (the subset rendered here) matches."""
    if not pat.startswith("_"):
        return pat == number
    return _pattern_regex(pat).fullmatch(number) is not None


@cache
def _pattern_regex(pat: str) -> re.Pattern:
    regex = ""
    i, body = 0, pat[1:]
    while i < len(body):
        c = body[i]
        if c == "[":
            end = body.index("]", i)
            regex += "[" + body[i + 1:end] + "]"
            i = end + 1
            continue
        regex += {"X": "[0-9]", "Z": "[1-9]", "N": "[2-9]", ".": ".+", "!": ".*"}.get(
            c, re.escape(c))
        i += 1
    return re.compile(regex)


def dialplan_class(number: str, home: str, emergency: Iterable[str] = (),
                   internal: bool = False) -> str:
    """What the rendered rules answer (used by tests to check they agree with classify)."""
    number = normalize(number)
    if number in set(emergency):
        return EMERGENCY
    if internal:
        return INTERNAL
    for _name, number_class, pats in dialplan_rules(home):
        if any(pattern_matches(p, number) for p in pats):
            return number_class
    return UNKNOWN

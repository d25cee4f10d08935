"""Call rights: the settings, and the one check Python makes (forwards, classify page).

The dialplan makes the same decision on every outgoing call (``centrex-sub-check-rights``,
rendered by ``centrex.rights.confgen`` from the same metadata), so the portal need not be
up for calls; this module answers for the portal: the forward pages, the classify helper.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.rights import numbers
from centrex.rights.models import EmergencyNumber, RightsSettings
from centrex.telephony.models import CALL_RIGHTS, Phone

CLASS_LABELS = {
    numbers.EMERGENCY: gettext_lazy("Emergency"),
    numbers.INTERNAL: gettext_lazy("Internal"),
    numbers.SERVICES: gettext_lazy("Services"),
    numbers.LOCAL: gettext_lazy("Local and national"),
    numbers.MOBILE: gettext_lazy("Mobile"),
    numbers.INTERNATIONAL: gettext_lazy("International"),
    numbers.UNKNOWN: gettext_lazy("Unknown number"),
}


def current() -> dict:
    """The settings as plain data (pages, API, renderers)."""
    row = RightsSettings.get()
    return {
        "home_country": row.home_country,
        "allowed_countries": sorted(row.allowed_countries),
        "emergency_numbers": RightsSettings.emergency_numbers(),
    }


def parse_emergency(text: str | Iterable[str]) -> list[str]:
    items = text.replace(",", " ").split() if isinstance(text, str) else list(text)
    return sorted({str(i).strip() for i in items if str(i).strip()}, key=lambda n: (len(n), n))


def update_settings(home_country: str, allowed_countries: Iterable[str],
                    emergency_numbers: Iterable[str]) -> dict:
    """Save the settings and apply them (one transaction: if Asterisk refuses, nothing is
    saved). Emergency numbers must be free in the numbering plan."""
    from centrex.telephony.services import applied

    errors: dict[str, list[str]] = {}
    with applied():
        row = RightsSettings.get()
        row.home_country = (home_country or "").strip().upper()
        row.allowed_countries = sorted({c.strip().upper() for c in allowed_countries
                                        if c.strip()})
        try:
            row.full_clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
        wanted = parse_emergency(emergency_numbers)
        if not wanted:
            errors.setdefault("emergency_numbers", []).append(
                _("Keep at least one emergency number."))
        for number in wanted:
            candidate = EmergencyNumber.objects.filter(number=number).first() or \
                EmergencyNumber(number=number)
            try:
                candidate.full_clean(validate_unique=False)
            except ValidationError as exc:
                errors.setdefault("emergency_numbers", []).extend(
                    f"{number}: {m}" for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        row.save()
        EmergencyNumber.objects.exclude(number__in=wanted).delete()
        for number in wanted:
            EmergencyNumber.objects.get_or_create(number=number)
    return current()


def classify(number: str, settings: dict | None = None) -> numbers.Result:
    """A number's class with the current settings; internal when the numbering plan holds
    it (a phone, a group...)."""
    from centrex.telephony import numbering

    settings = settings or current()
    number = numbers.normalize(number)
    internal = bool(number) and number not in settings["emergency_numbers"] and \
        numbering.holder(number) is not None
    return numbers.classify(number, settings["home_country"], settings["emergency_numbers"],
                            internal=internal)


def phone_rights(phone: Phone) -> list[str]:
    return [name for name, _label in CALL_RIGHTS if getattr(phone, f"right_{name}")]


def may_call(phone: Phone | None, number: str) -> tuple[bool, numbers.Result]:
    """Whether ``phone`` (None: an idle free-seating phone) may call ``number``."""
    settings = current()
    result = classify(number, settings)
    rights = phone_rights(phone) if phone is not None else []
    return numbers.allowed(result, rights, settings["allowed_countries"]), result


def forward_refusal(phone: Phone, number: str) -> str | None:
    """Why ``phone`` may not forward to the external ``number`` (its own call rights:
    a forward must never be a way around them), or None."""
    ok, result = may_call(phone, number)
    if ok:
        return None
    if result.number_class == numbers.INTERNATIONAL and "international" in phone_rights(phone):
        return _("The call rights do not allow calls to %(country)s (“%(number)s”).") % {
            "country": result.country, "number": number}
    return _("The call rights of extension %(extension)s do not allow this number "
             "(“%(number)s”, class: %(class)s).") % {
        "extension": phone.extension, "number": number,
        "class": CLASS_LABELS[result.number_class]}

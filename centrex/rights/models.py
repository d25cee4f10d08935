"""Call rights settings: home country, allowed countries, emergency numbers (one row)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from centrex.core.models import SingleRow

DEFAULT_HOME = "FR"
# seeds/003: the French emergency and social numbers.
DEFAULT_EMERGENCY = ("112", "15", "17", "18", "114", "115", "119", "191", "196", "197")
EMERGENCY_RE = re.compile(r"[0-9]{2,8}")


def validate_region(value: str) -> None:
    from centrex.rights.numbers import regions

    if value not in regions():
        raise ValidationError(_("Unknown country code “%(value)s” (ISO, e.g. FR)."),
                              code="invalid_region", params={"value": value})


def validate_regions(value: list) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("A list of countries is expected."), code="invalid_regions")
    for region in value:
        validate_region(region)


class RightsSettings(SingleRow):
    """The home country numbers are classified against, and the countries international
    calls may reach (a phone also needs the international right)."""

    home_country = models.CharField(
        _("home country"), max_length=2, default=DEFAULT_HOME, validators=[validate_region],
        help_text=_("Numbers are classified as dialled in this country (ISO code)."))
    allowed_countries = models.JSONField(
        _("countries allowed for international calls"), default=list, blank=True,
        validators=[validate_regions],
        help_text=_("Countries sharing a calling code (+1, +7, +44...) are allowed together."))

    class Meta:
        verbose_name = _("call rights settings")

    def __str__(self) -> str:
        return str(_("call rights settings"))

    @classmethod
    def created_defaults(cls) -> None:
        """The default emergency numbers: a new database never leaves 112 free for a
        phone."""
        EmergencyNumber.objects.bulk_create(
            [EmergencyNumber(number=n) for n in DEFAULT_EMERGENCY], ignore_conflicts=True)

    @classmethod
    def emergency_numbers(cls) -> list[str]:
        cls.get()
        return sorted(EmergencyNumber.objects.values_list("number", flat=True),
                      key=lambda n: (len(n), n))


def validate_emergency(value: str) -> None:
    if not EMERGENCY_RE.fullmatch(value):
        raise ValidationError(_("An emergency number is 2 to 8 digits (got “%(value)s”)."),
                              code="invalid_emergency", params={"value": value})


class EmergencyNumber(models.Model):
    """A number every phone may always call, even an idle free-seating phone. Part of the
    numbering plan: no phone or group can take it as its internal number."""

    number = models.CharField(_("number"), max_length=8, unique=True,
                              validators=[validate_emergency])

    class Meta:
        verbose_name = _("emergency number")
        ordering = ["number"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        from centrex.telephony import numbering

        numbering.check_free(self.number, exclude=self, field="number")

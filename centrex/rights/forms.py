"""Forms of the call rights settings page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.rights import numbers
from centrex.rights.services import parse_emergency


def _country_choices() -> list[tuple[str, str]]:
    import phonenumbers as pn

    return [(r, f"{r} (+{pn.country_code_for_region(r)})") for r in numbers.regions()]


class RightsSettingsForm(forms.Form):
    home_country = forms.ChoiceField(
        label=_("Home country"), choices=_country_choices,
        help_text=_("Numbers are classified as dialled in this country: national prefix "
                    "(0 in France), 00 or + then the country code, short numbers."))
    allowed_countries = forms.MultipleChoiceField(
        label=_("Countries allowed for international calls"), choices=_country_choices,
        required=False, widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("A phone also needs the international right. Countries sharing a "
                    "calling code (+1, +7, +44...) are allowed together."))
    emergency_numbers = forms.CharField(
        label=_("Emergency numbers"), max_length=500,
        help_text=_("Separated by spaces or commas. Always allowed, from any phone, even "
                    "an idle free-seating phone; no phone or group can use them."))

    def clean_emergency_numbers(self) -> list[str]:
        return parse_emergency(self.cleaned_data["emergency_numbers"])


class ClassifyForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=30)

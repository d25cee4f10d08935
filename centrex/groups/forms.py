"""Forms of the groups pages. Members are typed as extensions, in order (the order of a
ring group "in order"), which stays usable with thousands of phones."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.groups.models import PagingGroup, RingGroup, SpeedDial
from centrex.groups.services import phones_by_extension
from centrex.telephony.models import PickupGroup

SEPARATORS = re.compile(r"[\s,;]+")


class MembersField(forms.CharField):
    """Extensions separated by spaces or commas → the list, in order (checked to exist)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Members"))
        kwargs.setdefault("max_length", 2000)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value) or ""
        extensions = [e for e in SEPARATORS.split(text) if e]
        phones_by_extension(extensions)  # a ValidationError names the unknown ones
        return extensions


def _initial_members(phones) -> str:
    return ", ".join(p.extension for p in phones)


class RingGroupForm(forms.ModelForm):
    members_text = MembersField(help_text=_(
        "Extensions of the phones, in the order they ring (“In order”), e.g. 201, 202."))

    class Meta:
        model = RingGroup
        fields = ["extension", "name", "strategy", "member_seconds", "timeout", "fallback",
                  "fallback_number"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["members_text"] = _initial_members(self.instance.ordered_members())
        self.order_fields(["extension", "name", "strategy", "members_text"])


class PagingGroupForm(forms.ModelForm):
    members_text = MembersField(help_text=_("Extensions of the phones that are paged."))

    class Meta:
        model = PagingGroup
        fields = ["extension", "name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["members_text"] = _initial_members(
                self.instance.members.order_by("extension"))


class SpeedDialForm(forms.ModelForm):
    class Meta:
        model = SpeedDial
        fields = ["code", "name", "number"]


class PickupGroupForm(forms.ModelForm):
    class Meta:
        model = PickupGroup
        fields = ["name", "description"]

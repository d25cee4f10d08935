"""Forms of the routing app. They only check: saving goes through ``services``, which
applies the change to Asterisk in the same transaction."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centrex.routing.models import SECRET_RE, InboundNumber, Route, Trunk

ROUTE_TRUNK_FIELDS = ("trunk_1", "trunk_2", "trunk_3", "trunk_4")


class TrunkForm(forms.ModelForm):
    """A trunk; its password is typed, never shown back (empty keeps the stored one)."""

    new_password = forms.CharField(
        label=_("Password"), required=False, max_length=80, widget=forms.PasswordInput,
        help_text=_("For a registration. Never shown again; leave empty to keep the "
                    "current one."))

    class Meta:
        model = Trunk
        fields = ["name", "host", "port", "transport", "auth_mode", "username",
                  "new_password", "match", "codecs", "max_channels", "default_caller_id"]

    def clean_new_password(self) -> str:
        value = self.cleaned_data["new_password"]
        if value and not SECRET_RE.fullmatch(value):
            raise ValidationError(_("No spaces, quotes, ';', '#', brackets or backslashes."))
        return value

    def _post_clean(self) -> None:
        if self.cleaned_data.get("new_password"):
            self.instance.password = self.cleaned_data["new_password"]
        super()._post_clean()


class RouteForm(forms.ModelForm):
    """A route and up to four trunks, tried in this order."""

    trunk_1 = forms.ModelChoiceField(Trunk.objects.all(), label=_("First trunk"))
    trunk_2 = forms.ModelChoiceField(Trunk.objects.all(), label=_("Second trunk"),
                                     required=False,
                                     help_text=_("Tried when the first one fails or is full."))
    trunk_3 = forms.ModelChoiceField(Trunk.objects.all(), label=_("Third trunk"),
                                     required=False)
    trunk_4 = forms.ModelChoiceField(Trunk.objects.all(), label=_("Fourth trunk"),
                                     required=False)

    class Meta:
        model = Route
        fields = ["name", "pattern", "strip", "prepend"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            for name, trunk in zip(ROUTE_TRUNK_FIELDS, self.instance.ordered_trunks(),
                                   strict=False):
                self.initial[name] = trunk.pk

    def trunks(self) -> list[Trunk]:
        return [self.cleaned_data[n] for n in ROUTE_TRUNK_FIELDS if self.cleaned_data.get(n)]

    def clean(self) -> dict:
        data = super().clean()
        chosen = [data.get(n) for n in ROUTE_TRUNK_FIELDS if data.get(n)]
        if len(set(chosen)) != len(chosen):
            raise ValidationError(_("A trunk appears twice in the route."))
        return data


class InboundNumberForm(forms.ModelForm):
    class Meta:
        model = InboundNumber
        fields = ["number", "destination", "target", "description"]

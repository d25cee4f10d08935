"""The form of the API token pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.api.models import ApiToken

MAX_ACTIVE_TOKENS = 20


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]

    def __init__(self, owner, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean(self) -> dict:
        data = super().clean()
        active = ApiToken.objects.filter(owner=self.owner, revoked__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise forms.ValidationError(
                _("You already have %(count)s active tokens: revoke one you no longer use."),
                params={"count": active},
            )
        return data

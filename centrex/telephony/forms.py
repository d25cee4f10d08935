"""Forms of the telephony app. They only check: saving goes through the services, which
apply the change to Asterisk in the same transaction."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centrex.core import roles
from centrex.core.models import User
from centrex.core.validators import validate_pin
from centrex.telephony import forwards
from centrex.telephony.forwards import EDITABLE
from centrex.telephony.models import (
    CALL_RIGHTS,
    FORWARD_FIELDS,
    VOICEMAIL,
    Phone,
    PickupGroup,
)

VOICEMAIL_WORDS = {VOICEMAIL, "messagerie", "vm", str(_("voicemail")).lower()}


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.username})"


class PhoneForm(forms.ModelForm):
    """A phone's extension, caller name, user, ring time and voicemail; on an existing
    phone, optionally a new voicemail PIN (the SIP secret has its own page)."""

    user = UserChoiceField(queryset=User.objects.none(), label=_("User"), required=False)
    new_pin = forms.CharField(
        label=_("New voicemail PIN"), required=False, max_length=8, validators=[validate_pin],
        widget=forms.PasswordInput,
        help_text=_("4 to 8 digits. Leave empty to keep the current PIN."),
    )

    class Meta:
        model = Phone
        fields = ["extension", "name", "user", "ring_timeout", "voicemail_enabled",
                  *(f"right_{name}" for name, _label in CALL_RIGHTS), "call_groups",
                  "pickup_groups", "hotdesk"]
        widgets = {"call_groups": forms.CheckboxSelectMultiple,
                   "pickup_groups": forms.CheckboxSelectMultiple}

    def __init__(self, actor: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = roles.users_in_scope(
            actor, User.objects.order_by("last_name", "first_name", "username"))
        if self.instance.pk is None:
            del self.fields["new_pin"]  # a new phone gets a generated PIN
        for name in ("call_groups", "pickup_groups"):
            # Only the named groups are offered (and those the phone is already in).
            current = getattr(self.instance, name).all() if self.instance.pk else []
            self.fields[name].queryset = PickupGroup.objects.exclude(name="") | \
                PickupGroup.objects.filter(pk__in=[g.pk for g in current])

    def groups(self) -> dict[str, list[int]]:
        """The chosen groups, for the services (they save them with the phone)."""
        return {name: [g.number for g in self.cleaned_data.get(name) or []]
                for name in ("call_groups", "pickup_groups")}


class ForwardsForm(forms.ModelForm):
    """A phone's forwards and do-not-disturb, checked with every rule (external numbers,
    loops) for the person making the change."""

    class Meta:
        model = Phone
        fields = list(EDITABLE)
        help_texts = {
            "forward_always": _("An extension, or “voicemail”. Empty: off."),
            "forward_busy": _("An extension, or “voicemail”. Empty: voicemail if the phone "
                              "has one."),
            "forward_no_answer": _("An extension, or “voicemail”. Empty: voicemail after "
                                   "the ring time, if the phone has one."),
        }

    def __init__(self, actor: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self) -> dict:
        data = super().clean()
        for name in FORWARD_FIELDS:
            value = (data.get(name) or "").strip()
            # The keyword may be typed in the reader's language too.
            data[name] = VOICEMAIL if value.lower() in VOICEMAIL_WORDS else value
        return data

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            try:
                forwards.check(self.instance, self.actor)
            except ValidationError as exc:
                self._update_errors(exc)

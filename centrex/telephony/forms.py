"""Forms of the telephony app. They only check: saving goes through the services, which
apply the change to Asterisk in the same transaction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.core import roles
from centrex.core.models import User
from centrex.core.validators import validate_pin
from centrex.telephony.models import Phone


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
        fields = ["extension", "name", "user", "ring_timeout", "voicemail_enabled"]

    def __init__(self, actor: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = roles.users_in_scope(
            actor, User.objects.order_by("last_name", "first_name", "username"))
        if self.instance.pk is None:
            del self.fields["new_pin"]  # a new phone gets a generated PIN

"""Forms of the core app: sign-in, password, voicemail PIN."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_pin


class SignInForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    current = forms.CharField(label=_("Current password"), strip=False,
                              widget=forms.PasswordInput)
    new = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput,
                          help_text=_("At least 12 characters; a sentence of a few words "
                                      "is a good password."))
    confirm = forms.CharField(label=_("New password again"), strip=False,
                              widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current(self) -> str:
        value = self.cleaned_data["current"]
        if not self.user.check_password(value):
            raise forms.ValidationError(_("This is not your current password."))
        return value

    def clean(self) -> dict:
        data = super().clean()
        new, confirm = data.get("new"), data.get("confirm")
        if new and confirm and new != confirm:
            self.add_error("confirm", _("The two passwords differ."))
        if new and data.get("current") and new == data["current"]:
            self.add_error("new", _("Choose a password different from the current one."))
        if new:
            try:
                password_validation.validate_password(new, self.user)
            except forms.ValidationError as exc:
                self.add_error("new", exc)
        return data


class PinChangeForm(forms.Form):
    pin = forms.CharField(label=_("New voicemail PIN"), max_length=8,
                          validators=[validate_pin], widget=forms.PasswordInput,
                          help_text=_("4 to 8 digits, typed on the phone keypad."))

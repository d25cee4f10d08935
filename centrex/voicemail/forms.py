"""Forms of the voicemail pages: the SMTP settings and the message actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.voicemail.models import EmailSettings
from centrex.voicemail.spool import FOLDERS, MSG_ID_RE


class EmailSettingsForm(forms.ModelForm):
    """The password is never drawn back into the page: empty keeps the stored one."""

    password = forms.CharField(
        label=_("password"), required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the stored password."))
    clear_password = forms.BooleanField(label=_("Remove the stored password"), required=False)

    class Meta:
        model = EmailSettings
        fields = ["host", "port", "security", "username", "password", "from_email", "timeout"]

    def save(self, commit: bool = True) -> EmailSettings:
        settings = super().save(commit=False)
        if self.cleaned_data.get("clear_password"):
            settings.password = ""
        elif not self.cleaned_data.get("password"):
            settings.password = EmailSettings.get().password
        if commit:
            settings.save()
        return settings


FOLDER_CHOICES = [(key, label) for key, label in FOLDERS.items()]


class MessageForm(forms.Form):
    """Which message: its folder and Asterisk's msg_id (stable across moves)."""

    folder = forms.ChoiceField(choices=FOLDER_CHOICES)
    message = forms.RegexField(regex=r"\A" + MSG_ID_RE.pattern + r"\Z", max_length=64)


class MoveForm(MessageForm):
    to = forms.ChoiceField(label=_("Move to"), choices=FOLDER_CHOICES)


class NotificationForm(forms.Form):
    enabled = forms.BooleanField(required=False)

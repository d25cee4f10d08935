"""Forms of the conference rooms (hot-desk logins are made from the phone)."""

from django import forms

from centrex.features.models import ConferenceRoom


class ConferenceRoomForm(forms.ModelForm):
    class Meta:
        model = ConferenceRoom
        fields = ["extension", "name", "pin", "max_members"]
        widgets = {"pin": forms.TextInput(attrs={"inputmode": "numeric",
                                                 "autocomplete": "off"})}

"""Forms of the applications pages: the application (with its public numbers), the import
of an exported application, and the web services."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.ivr import application_services as services
from centrex.ivr.models import Application, WebService

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_IMPORT_BYTES = 1_000_000


class ApplicationForm(forms.ModelForm):
    public_numbers = forms.CharField(
        label=_("public numbers"), required=False, max_length=500,
        help_text=_("Numbers the operators send here (DIDs), separated by commas."))

    class Meta:
        model = Application
        fields = ["name", "number", "public_numbers", "active", "start", "end", "call_rights",
                  "comment"]
        widgets = {"start": DATETIME, "end": DATETIME,
                   "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["public_numbers"].initial = ", ".join(services.public_numbers(self.instance))

    def clean_public_numbers(self) -> list[str]:
        text = self.cleaned_data.get("public_numbers", "")
        numbers = [n.strip() for n in text.replace(";", ",").split(",") if n.strip()]
        return list(dict.fromkeys(numbers))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("application file (JSON)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".json"}),
                           help_text=_("Exported from a Centrex. An application with the same "
                                       "name is replaced; otherwise one is created."))

    def clean_file(self) -> dict:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise forms.ValidationError(_("The file is not JSON.")) from exc


class WebServiceForm(forms.ModelForm):
    class Meta:
        model = WebService
        fields = ["name", "url", "timeout", "comment"]

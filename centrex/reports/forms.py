"""Forms of the reports: the call log's filters and the report settings."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from centrex.core.forms import check_date_range
from centrex.reports import calllog
from centrex.reports.models import DIRECTIONS, STATES, ReportSettings

ANY = [("", _("Any"))]


class CallFilterForm(forms.Form):
    """seeds/002 "Journal des appels", Recherche: number, type, date, time ± 30 min (a GET
    form: a filtered log can be bookmarked, and its export is exactly what it shows)."""

    number = forms.RegexField(label=_("Number"), required=False, max_length=30,
                              regex=r"^[0-9*#+]*$",
                              error_messages={"invalid": _("Digits, *, # and + only.")})
    direction = forms.ChoiceField(label=_("Type"), required=False, choices=ANY + DIRECTIONS)
    state = forms.ChoiceField(label=_("State"), required=False, choices=ANY + STATES)
    since = forms.DateField(label=_("Since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time ± 30 min"), required=False,
                           widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self) -> dict:
        return check_date_range(self, super().clean())

    def apply(self, queryset: QuerySet) -> QuerySet:
        return calllog.filter_calls(queryset, **self.cleaned_data)


class ReportSettingsForm(forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = ["mask_digits", "short_abandon"]

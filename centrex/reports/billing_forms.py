"""Forms of billing: rate plans, their import, re-pricing, and the report's criteria
(seeds/002 "Facturation": 1. a month or dates, 2. recap or detail, 3. a department or
phones)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from centrex.core.forms import check_date_range
from centrex.core.importexport import MAX_BYTES
from centrex.core.models import Department
from centrex.reports.models import RatePlan
from centrex.reports.stats_forms import MONTH_RE

KINDS = [("recap", _("Summary per phone")), ("detail", _("Detail per call"))]


class RatePlanForm(forms.ModelForm):
    peak_days = forms.MultipleChoiceField(
        label=_("peak days"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(str(day), name) for day, name in WEEKDAYS.items()],
        help_text=RatePlan._meta.get_field("peak_days").help_text)

    class Meta:
        model = RatePlan
        fields = ["name", "currency", "vat_percent", "peak_start", "peak_end", "peak_days",
                  "holidays_offpeak", "active"]
        widgets = {"peak_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "peak_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial["peak_days"] = list(self.instance.peak_days)  # "01234": five boxes

    def clean_peak_days(self) -> str:
        return "".join(sorted(set(self.cleaned_data["peak_days"])))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("peak_start"), data.get("peak_end")
        if start and end and end <= start:
            self.add_error("peak_end", _("The end must be after the start."))
        return data


class TariffFileForm(forms.Form):
    file = forms.FileField(
        label=_("Tariff file (CSV or XLSX)"),
        help_text=_("Columns prefix, zone, peak, offpeak, and if needed setup, minimum, "
                    "first_increment, increment, forbidden. It replaces the plan's zones."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is too big (%(max)s MB at most)."),
                                  params={"max": MAX_BYTES // (1024 * 1024)})
        return upload


class DaysForm(forms.Form):
    since = forms.DateField(label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        return check_date_range(self, super().clean())


class BillingForm(forms.Form):
    month = forms.RegexField(label=_("Month"), required=False, regex=MONTH_RE,
                             widget=forms.DateInput(attrs={"type": "month"}),
                             error_messages={"invalid": _("A month such as 2026-11.")})
    since = forms.DateField(label=_("Since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Report"), choices=KINDS, initial="recap",
                             required=False)
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.none(),
                                        empty_label=_("All departments"))
    phones = forms.CharField(label=_("Phones"), required=False, max_length=400,
                             help_text=_("Extensions separated by commas; empty: all."))

    def __init__(self, departments, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments.order_by("name")

    @staticmethod
    def clean_defaults() -> dict:
        """This month so far, every phone in scope, summarized."""
        today = timezone.localdate()
        return {"since": today.replace(day=1), "until": today, "kind": "recap",
                "department": None, "phones": []}

    def clean_phones(self) -> list[str]:
        text = self.cleaned_data["phones"]
        phones = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
        if any(not p.isdigit() or len(p) > 10 for p in phones):
            raise ValidationError(_("Extensions are digits, separated by commas."))
        return phones

    def clean(self) -> dict:
        data = super().clean()
        data["kind"] = data.get("kind") or "recap"
        month = data.get("month")
        if month:
            first = datetime.date(int(month[:4]), int(month[5:]), 1)
            data["since"] = first
            data["until"] = (first + datetime.timedelta(days=32)).replace(
                day=1) - datetime.timedelta(days=1)
        elif not data.get("since") and not data.get("until") and "month" not in self.errors:
            today = timezone.localdate()
            data["since"], data["until"] = today.replace(day=1), today
        elif not data.get("since") or not data.get("until"):
            self.add_error("since", _("Choose a month, or both dates."))
        return check_date_range(self, data)

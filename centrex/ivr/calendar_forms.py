"""Forms of the calendars pages. A schedule's weekly slots are typed one line per day
(``08:30-12:00, 14:00-18:00``): a strict grammar, checked before anything is saved."""

from __future__ import annotations

import re
from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.ivr.models import Closure, Holiday, Incident, Schedule, TimeSlot
from centrex.ivr.models.calendars import WEEKDAYS

RANGE_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)")


def parse_slots(weekday: int, text: str) -> list[TimeSlot]:
    """``08:30-12:00, 14:00-18:00`` → slots of ``weekday``; empty: closed all day."""
    slots: list[TimeSlot] = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        match = RANGE_RE.fullmatch(part)
        if match is None:
            raise forms.ValidationError(
                _("“%(part)s” is not a time range such as 08:30-12:00.") % {"part": part})
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise forms.ValidationError(_("In “%(part)s” the end must be after the start.")
                                        % {"part": part})
        if any(start < s.end and s.start < end for s in slots):
            raise forms.ValidationError(_("“%(part)s” overlaps another range of the day.")
                                        % {"part": part})
        slots.append(TimeSlot(weekday=weekday, start=start, end=end))
    return sorted(slots, key=lambda s: s.start)


def slots_text(slots) -> str:
    return ", ".join(f"{s.start:%H:%M}-{s.end:%H:%M}" for s in slots)


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = ["name", "department", "closed_on_holidays", "comment"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        existing = list(self.instance.slots.all()) if self.instance.pk else []
        for day, label in WEEKDAYS:
            self.fields[f"day{day}"] = forms.CharField(
                label=label, required=False, max_length=200,
                initial=slots_text(s for s in existing if s.weekday == day),
                help_text=_("Open hours, e.g. 08:30-12:00, 14:00-18:00; empty: closed.")
                if day == 0 else "")

    def clean(self) -> dict:
        data = super().clean()
        self.slots: list[TimeSlot] = []
        for day, _label in WEEKDAYS:
            try:
                self.slots += parse_slots(day, data.get(f"day{day}", ""))
            except forms.ValidationError as exc:
                self.add_error(f"day{day}", exc)
        return data


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["name", "date", "yearly"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["reason", "start", "end", "schedule"]
        widgets = {f: forms.DateTimeInput(attrs={"type": "datetime-local"},
                                          format="%Y-%m-%dT%H:%M") for f in ("start", "end")}


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["code", "name", "number"]
        help_texts = {"number": _("Dialled after *72 to switch the incident from a phone.")}

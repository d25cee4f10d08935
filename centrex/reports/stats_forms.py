"""The statistics pages' forms (GET forms: a report can be bookmarked and shared)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centrex.contact_center.models import Queue
from centrex.contact_center.scope import AGENTS
from centrex.core.forms import check_date_range
from centrex.core.models import Department, User
from centrex.reports.models import DIRECTIONS

ANY = [("", _("Any"))]
MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"
# The longest report period: ten years of days still groups fast.
MAX_DAYS = 3660


def _check_length(form: forms.Form, data: dict) -> dict:
    since, until = data.get("since"), data.get("until")
    if since and until and (until - since).days > MAX_DAYS:
        form.add_error("until", _("Choose a period of ten years at most."))
    return data


class GlobalStatsForm(forms.Form):
    since = forms.DateField(label=_("Since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    month = forms.RegexField(label=_("Month in detail"), required=False, regex=MONTH_RE,
                             widget=forms.DateInput(attrs={"type": "month"}),
                             error_messages={"invalid": _("A month such as 2026-11.")})
    department = forms.ModelChoiceField(label=_("Department"), required=False,
                                        queryset=Department.objects.order_by("name"),
                                        empty_label=_("All departments"))
    direction = forms.ChoiceField(label=_("Type"), required=False, choices=ANY + DIRECTIONS)

    @staticmethod
    def initial_values() -> dict:
        """This year so far, this month in detail, all calls."""
        today = timezone.localdate()
        return {"since": today.replace(month=1, day=1), "until": today,
                "month": (today.year, today.month), "department": None, "direction": ""}

    def clean(self) -> dict:
        data = super().clean()
        defaults = self.initial_values()
        data["since"] = data.get("since") or defaults["since"]
        data["until"] = data.get("until") or defaults["until"]
        month = data.get("month")
        if isinstance(month, str) and month:
            data["month"] = (int(month[:4]), int(month[5:]))
        elif "month" not in self.errors:
            data["month"] = defaults["month"]
        return _check_length(self, check_date_range(self, data))


PRESETS = [
    ("", _("Dates below")),
    ("today", _("Today")),
    ("yesterday", _("Yesterday")),
    ("this_week", _("This week")),
    ("last_week", _("Last week")),
    ("this_month", _("This month")),
    ("last_month", _("Last month")),
    ("this_year", _("This year")),
    ("last_year", _("Last year")),
]
STATISTICS = [
    ("global", _("Global")),
    ("queues", _("Calls per queue")),
    ("service_level", _("Service level")),
    ("abandons", _("Abandons")),
    ("weekday", _("Distribution by weekday")),
    ("hourly", _("Distribution by hour")),
    ("agents", _("Service per agent")),
]


def preset_period(name: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = today - datetime.timedelta(days=today.weekday())
    first = today.replace(day=1)
    last_month_end = first - datetime.timedelta(days=1)
    return {
        "today": (today, today),
        "yesterday": (today - datetime.timedelta(days=1),) * 2,
        "this_week": (monday, today),
        "last_week": (monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=1)),
        "this_month": (first, today),
        "last_month": (last_month_end.replace(day=1), last_month_end),
        "this_year": (today.replace(month=1, day=1), today),
        "last_year": (datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
    }[name]


class QueueStatsForm(forms.Form):
    """seeds/002: 1. a period or dates, 2. queues, 3. agents, 4. the statistic."""

    period = forms.ChoiceField(label=_("Period"), required=False, choices=PRESETS,
                               initial="today")
    since = forms.DateField(label=_("Since"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    queues = forms.ModelMultipleChoiceField(
        label=_("Queues"), required=False, queryset=Queue.objects.none(),
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: all of yours."))
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents"), required=False, queryset=User.objects.none(),
        help_text=_("None chosen: every agent of the queues."))
    statistic = forms.ChoiceField(label=_("Statistic"), choices=STATISTICS, initial="queues")

    def __init__(self, queues: QuerySet[Queue], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queues"].queryset = queues.order_by("name")
        self.fields["agents"].queryset = User.objects.filter(
            groups__name__in=[f"{AGENTS} {q.name}" for q in queues]).distinct().order_by(
            "last_name", "username")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period"):
            data["since"], data["until"] = preset_period(data["period"],
                                                         timezone.localdate())
        elif ((not data.get("since") or not data.get("until"))
              and "since" not in self.errors and "until" not in self.errors):
            self.add_error("since", _("Choose a period, or both dates."))
        return _check_length(self, check_date_range(self, data))

    @staticmethod
    def agent_names(queues: list[Queue]) -> list[str]:
        """Every agent of these queues: today's members, and whoever answered in them."""
        names = set(User.objects.filter(groups__in=Group.objects.filter(
            name__in=[f"{AGENTS} {q.name}" for q in queues])).values_list("username",
                                                                           flat=True))
        from centrex.reports.models import QueueCall

        names.update(QueueCall.objects.filter(queue__in=[q.name for q in queues]).exclude(
            agent="").values_list("agent", flat=True).distinct())
        return sorted(names)

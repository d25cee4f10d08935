"""Opening hours, holidays, exceptional closures and incidents (docs/calendars.md).

Holidays and incidents are AstDB keys (no reload: switching an incident takes effect on the
next call); opening hours and closures are dialplan subroutines an application tests.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_safe_name

__all__ = ["INCIDENT_CODE_RE", "Closure", "Holiday", "Incident", "Schedule", "TimeSlot"]

# An incident's code is an AstDB key (centrex-incident/<code>) and is named in scenarios.
INCIDENT_CODE_RE = re.compile(r"[A-Z][A-Z0-9_]{0,19}")
WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
            (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))]


class Schedule(models.Model):
    """Opening hours: weekly slots, of a department or used by applications."""

    name = models.CharField(_("name"), max_length=60, unique=True,
                            validators=[validate_safe_name],
                            error_messages={"unique": _("A schedule already has this name.")})
    department = models.ForeignKey("core.Department", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="schedules",
                                   verbose_name=_("department"))
    closed_on_holidays = models.BooleanField(_("closed on holidays"), default=True)
    comment = models.CharField(_("comments"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("schedule-edit", args=[self.pk])


class TimeSlot(models.Model):
    """Open on ``weekday`` from ``start`` to ``end`` (site time zone)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=WEEKDAYS,
                                               validators=[MaxValueValidator(6)])
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta:
        ordering = ["schedule", "weekday", "start"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")

    def clean(self) -> None:
        """Whole minutes of the site's clock: the dialplan's GotoIfTime knows no seconds
        and no other time zone, so anything finer would be silently rounded."""
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is not None or value.second
                                      or value.microsecond):
                raise ValidationError({name: _("Give hours and minutes only (HH:MM), in "
                                               "the site's time zone.")})
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class Holiday(models.Model):
    """A public holiday: every year on the same day and month, or on one date."""

    name = models.CharField(_("name"), max_length=60, validators=[validate_safe_name])
    date = models.DateField(_("date"))
    yearly = models.BooleanField(_("every year"), default=False,
                                 help_text=_("Same day and month every year (e.g. 1 May)."))

    class Meta:
        ordering = ["date", "name"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [models.UniqueConstraint(fields=["date", "yearly"],
                                               name="ivr_holiday_date_once")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("holiday-edit", args=[self.pk])


class Closure(models.Model):
    """An exceptional closure, from ``start`` to ``end``, of one schedule or of all."""

    reason = models.CharField(_("reason"), max_length=100, validators=[validate_safe_name])
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("to"))
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="closures", verbose_name=_("opening hours"),
                                 help_text=_("Empty: every schedule is closed."))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("exceptional closure")
        verbose_name_plural = _("exceptional closures")

    def __str__(self) -> str:
        return self.reason

    def get_absolute_url(self) -> str:
        return reverse("closure-edit", args=[self.pk])

    def clean(self) -> None:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class Incident(models.Model):
    """A named flag (seeds/002 "Incidents") that applications test to play a message or
    reroute; switched on and off by the ``inc`` profile, from the portal or a phone."""

    code = models.CharField(
        _("code"), max_length=20, unique=True,
        validators=[RegexValidator(rf"\A(?:{INCIDENT_CODE_RE.pattern})\Z",
                                   _("Capital letters, digits and _, starting with a letter "
                                     "(up to 20)."))],
        help_text=_("Short identifier used by the applications, e.g. PCA."))
    name = models.CharField(_("name"), max_length=80, validators=[validate_safe_name])
    # Dialled after the incidents feature code to switch this incident from a phone.
    number = models.PositiveSmallIntegerField(_("number on the phone"), unique=True,
                                              validators=[MaxValueValidator(99)])
    active = models.BooleanField(_("in progress"), default=False)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("changed by"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.name

"""Models of hot desking, conference rooms and call parking (docs/features.md).

Call parking has no table: its numbers are those of Asterisk's parking lot
(``CENTREX_PARKING`` in the settings, see ``centrex.features.parking``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_extension, validate_pin, validate_safe_name
from centrex.telephony.models import Phone


class HotdeskLogin(models.Model):
    """Who sits at a free-seating phone: while this row exists, calls to ``line``'s
    extension ring ``desk`` and calls from ``desk`` are placed as ``line``.

    One login per desk and one desk per line: logging in elsewhere moves the person."""

    desk = models.OneToOneField(
        Phone, verbose_name=_("free-seating phone"), on_delete=models.CASCADE,
        related_name="hotdesk_login", limit_choices_to={"hotdesk": True})
    line = models.OneToOneField(
        Phone, verbose_name=_("extension logged in"), on_delete=models.CASCADE,
        related_name="hotdesk_seat")
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["desk__extension"]
        verbose_name = _("hot-desk login")
        verbose_name_plural = _("hot-desk logins")

    def __str__(self) -> str:
        return f"{self.line.extension} @ {self.desk.extension}"

    def get_absolute_url(self) -> str:
        return reverse("hotdesk-list")

    def clean(self) -> None:
        super().clean()
        if self.desk_id and not self.desk.hotdesk:
            raise ValidationError({"desk": _("This phone is not a free-seating phone.")})
        if self.desk_id and self.line_id and self.desk_id == self.line_id:
            raise ValidationError({"line": _("A free-seating phone cannot log in to itself.")})
        if self.line_id and self.line.hotdesk:
            raise ValidationError({"line": _("Log in with a personal extension, not with "
                                             "another free-seating phone.")})


class ConferenceRoom(models.Model):
    """A ConfBridge room reached by dialling its extension (one numbering plan)."""

    extension = models.CharField(
        _("extension"), max_length=10, unique=True, validators=[validate_extension],
        error_messages={"unique": _("This extension is already used.")})
    name = models.CharField(_("name"), max_length=80, validators=[validate_safe_name])
    pin = models.CharField(
        _("PIN"), max_length=8, blank=True, validators=[validate_pin],
        help_text=_("Asked to every caller before joining; empty: no PIN."))
    max_members = models.PositiveSmallIntegerField(
        _("maximum members"), default=10,
        validators=[MinValueValidator(2), MaxValueValidator(100)])
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["extension"]
        verbose_name = _("conference room")
        verbose_name_plural = _("conference rooms")

    def __str__(self) -> str:
        return f"{self.extension} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("conference-edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        from centrex.telephony import numbering

        numbering.check_free(self.extension, exclude=self)

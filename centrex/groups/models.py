"""Models of ring groups, short numbers (speed dials) and paging groups (docs/groups.md).

Pickup groups are ``centrex.telephony.models.PickupGroup`` (the phones' endpoints carry
them); this app only gives them their pages and API.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_extension, validate_safe_name
from centrex.telephony import numbering
from centrex.telephony.models import Phone

# A speed dial is dialled as ``*0`` and two or three digits: it cannot be mistaken for an
# extension or an outside number, and ``*0`` is no other feature code's prefix.
SPEED_DIAL_RE = re.compile(r"\*0[0-9]{2,3}")
# Where a speed dial goes: an extension or an outside number (national or +E.164).
SPEED_DIAL_NUMBER_RE = re.compile(r"\+?[0-9]{2,20}")


def validate_speed_dial_code(value: str) -> None:
    if not isinstance(value, str) or not SPEED_DIAL_RE.fullmatch(value):
        raise ValidationError(
            _("A short number is *0 followed by 2 or 3 digits, e.g. *012 (got “%(value)s”)."),
            code="invalid_code", params={"value": value})


def validate_speed_dial_number(value: str) -> None:
    if not isinstance(value, str) or not SPEED_DIAL_NUMBER_RE.fullmatch(value):
        raise ValidationError(
            _("A number is made of 2 to 20 digits, with an optional leading + "
              "(got “%(value)s”)."), code="invalid_number", params={"value": value})


def _check_number(obj: models.Model, field: str = "extension") -> dict:
    try:
        numbering.check_free(getattr(obj, field), exclude=obj, field=field)
    except ValidationError as exc:
        return exc.message_dict
    return {}


class RingGroup(models.Model):
    """An internal number that rings several phones: all at once, or one after the other."""

    RING_ALL = "all"
    IN_ORDER = "order"
    STRATEGIES = [(RING_ALL, _("Ring all")), (IN_ORDER, _("In order"))]
    HANGUP = "hangup"
    NUMBER = "number"
    VOICEMAIL = "voicemail"
    FALLBACKS = [(HANGUP, _("Hang up")), (NUMBER, _("Another internal number")),
                 (VOICEMAIL, _("A phone's voicemail"))]

    extension = models.CharField(
        _("extension"), max_length=10, unique=True, validators=[validate_extension],
        error_messages={"unique": _("This extension is already used.")})
    name = models.CharField(_("name"), max_length=80, validators=[validate_safe_name])
    strategy = models.CharField(_("strategy"), max_length=8, choices=STRATEGIES,
                                default=RING_ALL)
    member_seconds = models.PositiveSmallIntegerField(
        _("ring time per member (seconds)"), default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text=_("In order: how long each member rings before the next one."))
    timeout = models.PositiveSmallIntegerField(
        _("overall timeout (seconds)"), default=60,
        validators=[MinValueValidator(5), MaxValueValidator(600)],
        help_text=_("After this time the call goes to the destination below."))
    fallback = models.CharField(_("when nobody answers"), max_length=10, choices=FALLBACKS,
                                default=HANGUP)
    fallback_number = models.CharField(
        _("destination number"), max_length=10, blank=True, validators=[validate_extension],
        help_text=_("The internal number, or the extension of the phone whose voicemail "
                    "takes the call."))
    members = models.ManyToManyField(Phone, through="RingGroupMember", blank=True,
                                     related_name="ring_groups", verbose_name=_("members"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["extension"]
        verbose_name = _("ring group")
        verbose_name_plural = _("ring groups")

    def __str__(self) -> str:
        return f"{self.extension} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("ringgroup-edit", args=[self.pk])

    def ordered_members(self) -> list[Phone]:
        return [m.phone for m in self.memberships.select_related("phone").order_by("position")]

    def clean(self) -> None:
        super().clean()
        errors = _check_number(self)
        target = self.fallback_number
        if self.fallback == self.HANGUP:
            self.fallback_number = ""
        elif not target:
            errors["fallback_number"] = [_("Give the number the call goes to.")]
        elif target == self.extension:
            errors["fallback_number"] = [_("A group cannot fall back to itself.")]
        elif self.fallback == self.VOICEMAIL:
            if not Phone.objects.filter(extension=target, voicemail_enabled=True).exists():
                errors["fallback_number"] = [_("“%(number)s” is not a phone with a voicemail.")
                                             % {"number": target}]
        elif numbering.holder(target) is None:
            errors["fallback_number"] = [_("“%(number)s” is not a number of this PBX.")
                                         % {"number": target}]
        if errors:
            raise ValidationError(errors)


class RingGroupMember(models.Model):
    """A phone of a ring group, at its place in the order."""

    group = models.ForeignKey(RingGroup, on_delete=models.CASCADE, related_name="memberships")
    phone = models.ForeignKey(Phone, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "phone"],
                                               name="groups_one_membership")]


class PagingGroup(models.Model):
    """An internal number that speaks, one way, through every member's loudspeaker."""

    extension = models.CharField(
        _("extension"), max_length=10, unique=True, validators=[validate_extension],
        error_messages={"unique": _("This extension is already used.")})
    name = models.CharField(_("name"), max_length=80, validators=[validate_safe_name])
    members = models.ManyToManyField(Phone, blank=True, related_name="paging_groups",
                                     verbose_name=_("members"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["extension"]
        verbose_name = _("paging group")
        verbose_name_plural = _("paging groups")

    def __str__(self) -> str:
        return f"{self.extension} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("paginggroup-edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = _check_number(self)
        if errors:
            raise ValidationError(errors)


class SpeedDial(models.Model):
    """A short code every phone may dial for a number (``*012`` → 0140000000)."""

    code = models.CharField(
        _("short number"), max_length=5, unique=True, validators=[validate_speed_dial_code],
        error_messages={"unique": _("This short number is already used.")})
    name = models.CharField(_("name"), max_length=80, validators=[validate_safe_name])
    number = models.CharField(_("number"), max_length=21,
                              validators=[validate_speed_dial_number],
                              help_text=_("Dialled as if the phone had dialled it: outside "
                                          "numbers obey the phone's call rights."))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("short number")
        verbose_name_plural = _("short numbers")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("speeddial-edit", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = _check_number(self, "code")
        if errors:
            raise ValidationError(errors)


def _register_numbers() -> None:
    numbering.register_source(_("a ring group"), RingGroup.objects.all, reachable=True)
    numbering.register_source(_("a paging group"), PagingGroup.objects.all)
    numbering.register_source(_("a short number"), SpeedDial.objects.all, field="code")

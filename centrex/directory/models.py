"""Directory: external contacts. Internal users are listed from their phones (see
``services.entries``), never copied here.

A contact's numbers may reach the dialplan (click-to-call dials them), so they follow a
strict grammar: digits, an optional leading ``+``, 2 to 20 characters.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_safe_name

NUMBER_RE = re.compile(r"\+?[0-9]{2,20}")
NUMBER_FIELDS = ("number1", "number2", "number3")


def validate_number(value: str) -> None:
    """A phone number: 2 to 20 digits, with an optional leading + (no spaces, no dots)."""
    if not isinstance(value, str) or not NUMBER_RE.fullmatch(value):
        raise ValidationError(
            _("A phone number is made of 2 to 20 digits, with an optional leading + "
              "(got “%(value)s”)."), code="invalid_number", params={"value": value})


def normalize_number(value: str) -> str:
    """What people type (``01 23 45 67 89``, ``+33 (0)1.23``) → what is stored."""
    value = (value or "").strip()
    for char in " .-/()\u00a0":
        value = value.replace(char, "")
    return value


def _number(label) -> models.CharField:
    return models.CharField(label, max_length=21, blank=True, validators=[validate_number])


class Contact(models.Model):
    first_name = models.CharField(_("first name"), max_length=60, blank=True,
                                  validators=[validate_safe_name])
    last_name = models.CharField(_("last name"), max_length=60, blank=True,
                                 validators=[validate_safe_name])
    company = models.CharField(_("company"), max_length=80, blank=True,
                               validators=[validate_safe_name])
    number1 = _number(_("phone 1"))
    number2 = _number(_("phone 2"))
    number3 = _number(_("phone 3"))
    private = models.BooleanField(
        _("private"), default=False,
        help_text=_("A private contact is seen and changed only by the person who made it."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="contacts")
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.company or self.number1

    @property
    def numbers(self) -> list[str]:
        return [getattr(self, f) for f in NUMBER_FIELDS if getattr(self, f)]

    def get_absolute_url(self) -> str:
        return reverse("contact-edit", args=[self.pk])

    def clean_fields(self, exclude=None) -> None:
        for name in NUMBER_FIELDS:  # spaces and dots are how people write numbers
            setattr(self, name, normalize_number(getattr(self, name)))
        super().clean_fields(exclude)

    def clean(self) -> None:
        if not (self.first_name or self.last_name or self.company):
            raise ValidationError(_("Give a name or a company."), code="no_name")
        if not self.numbers:
            raise ValidationError({"number1": _("Give at least one number.")})

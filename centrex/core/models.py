"""Users and departments: who uses the PBX and how the organisation is split."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_safe_name


class Department(models.Model):
    """A department ("service"): scope of a department head, later office hours, caller ID."""

    name = models.CharField(
        _("name"), max_length=80, unique=True, validators=[validate_safe_name]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in to Centrex; the Django user carries the profile fields.

    A custom user model from the start, because swapping it later is a painful migration.
    The names are validated like every text that reaches an Asterisk file (caller ID).
    """

    first_name = models.CharField(
        _("first name"), max_length=80, blank=True, validators=[validate_safe_name]
    )
    last_name = models.CharField(
        _("last name"), max_length=80, blank=True, validators=[validate_safe_name]
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["last_name", "first_name", "username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

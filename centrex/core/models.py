"""Users and departments: who uses the PBX and how the organisation is split."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import (
    validate_networks,
    validate_public_number,
    validate_safe_name,
)


class Department(models.Model):
    """A department ("service"): scope of a department head, later office hours, caller ID."""

    name = models.CharField(
        _("name"), max_length=80, unique=True, validators=[validate_safe_name]
    )
    outbound_caller_id = models.CharField(
        _("outbound caller ID"), max_length=21, blank=True, validators=[validate_public_number],
        help_text=_("Number shown on external calls of the department's users, unless "
                    "the user has their own. Empty: the trunk's number."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("department-detail", args=[self.pk])


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
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("Set for a printed first password: changed at the next sign-in."),
    )
    outbound_caller_id = models.CharField(
        _("outbound caller ID"), max_length=21, blank=True, validators=[validate_public_number],
        help_text=_("Number shown on this user's external calls (a direct number). Empty: "
                    "the department's."))

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["last_name", "first_name", "username"]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("user-detail", args=[self.pk])


class AccessRights(models.Model):
    """Holds the custom permissions of the profiles (no table: permissions only).

    Django permissions hang off a model; the profile rights of seeds/002 (costs,
    statistics, incidents, external forwards) belong to no single object, so they live
    here and every app checks them by name (``core.view_all_costs``...).
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("administer", _("Administer the PBX")),
            ("view_all_costs", _("See the costs of everyone")),
            ("view_department_costs", _("See the costs of one's department")),
            ("view_all_calls", _("See the call log of everyone")),
            ("view_department_calls", _("See the call log of one's department")),
            ("view_all_stats", _("See all statistics")),
            ("view_global_stats", _("See the global statistics")),
            ("switch_incidents", _("Switch incidents on and off")),
            ("forward_external", _("Forward calls to external numbers")),
            ("view_audit", _("Read the journal of changes")),
        ]


class AuditEntry(models.Model):
    """One change (or security event): who, when, from where, what, before and after."""

    class Source(models.TextChoices):
        WEB = "web", _("web")
        API = "api", _("API")
        CLI = "cli", _("command line")
        SYSTEM = "system", _("system")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "core.User", verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    source = models.CharField(_("from"), max_length=10, choices=Source.choices)
    address = models.CharField(_("address"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=32, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal of changes")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def get_absolute_url(self) -> str:
        return reverse("journal-entry", args=[self.pk])


class SignInFailure(models.Model):
    """A failed sign-in, counted per account and per address to lock brute force out."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)

    class Meta:
        default_permissions = ()


class SingleRow(models.Model):
    """A table of settings with one row, made on first read."""

    class Meta:
        abstract = True

    @classmethod
    def get(cls):
        """The row, created on first use with bulk_create: it sends no signals, so these
        defaults are nobody's change and stay out of the journal of whatever request came
        first."""
        row = cls.objects.filter(pk=1).first()
        if row is None:
            with transaction.atomic():
                cls.objects.bulk_create([cls(pk=1)], ignore_conflicts=True)
                cls.created_defaults()
            row = cls.objects.get(pk=1)
        return row

    @classmethod
    def created_defaults(cls) -> None:
        """What else the first read makes (in the same transaction)."""


class SiteSettings(models.Model):
    """Settings an administrator changes from the portal (one row)."""

    admin_networks = models.TextField(
        _("networks allowed to use the administration pages"),
        blank=True,
        help_text=_("One network per line (e.g. 192.168.1.0/24). Empty: no restriction."),
        validators=[validate_networks],
    )

    class Meta:
        verbose_name = _("site settings")
        default_permissions = ()

    def __str__(self) -> str:
        return str(_("site settings"))

    @classmethod
    def get(cls) -> SiteSettings:
        return cls.objects.get_or_create(pk=1)[0]

    @classmethod
    def admin_networks_text(cls) -> str:
        """Read without creating the row (every request reads it; only a save creates)."""
        return cls.objects.filter(pk=1).values_list("admin_networks", flat=True).first() or ""

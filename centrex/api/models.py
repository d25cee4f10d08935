"""Personal API tokens: how a script or another system calls the REST API as a person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_safe_name


class ApiToken(models.Model):
    """A bearer token that acts with its owner's profile (permissions and scope).

    Only a SHA-256 hash of the token is stored: the token is 256 random bits, so a fast
    hash is enough (nothing to brute-force) and lets a request find its token with one
    indexed lookup. The prefix is kept in clear so the owner can tell tokens apart.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("name"), max_length=80, validators=[validate_safe_name],
        help_text=_("What the token is for, e.g. the script that uses it."),
    )
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        default_permissions = ()  # personal: each user manages their own

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

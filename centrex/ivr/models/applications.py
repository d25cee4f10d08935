"""IVR applications and their scenarios, web services they call (docs/applications.md).

An application's scenario is a JSON document (blocks of actions, centrex/ivr/scenario.py
says what is valid). Every saved scenario is a new revision; the dialplan keeps the last
few revisions so a caller in the middle of an old one finishes it (docs/applications.md).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_extension, validate_safe_name

__all__ = ["WEB_SERVICE_URL_RE", "Application", "ApplicationRevision", "WebService"]

# A web service's URL reaches the dialplan (CURL()): http(s), a host, a port, a path of
# safe characters; the query is built by the action from the scenario's variables.
WEB_SERVICE_URL_RE = re.compile(
    r"https?://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?")
WEB_SERVICE_NAME_RE = re.compile(r"[a-z][a-z0-9_-]{0,29}")


def validate_call_rights(value: str) -> None:
    from centrex.telephony.models import CALL_RIGHTS

    names = {name for name, _label in CALL_RIGHTS}
    if any(item not in names for item in value.split(",") if value):
        raise ValidationError(_("Call rights among %(names)s, separated by commas."),
                              code="invalid_rights", params={"names": ", ".join(sorted(names))})


def empty_scenario() -> dict:
    return {"blocks": [{"id": "incoming", "name": "Incoming", "actions": [
        {"type": "hangup"}]}]}


class WebService(models.Model):
    """An HTTP service an application may call (the URL is configured here, never typed in
    a scenario), with its timeout."""

    name = models.CharField(
        _("name"), max_length=30, unique=True,
        validators=[RegexValidator(rf"\A(?:{WEB_SERVICE_NAME_RE.pattern})\Z",
                                   _("Lowercase letters, digits, - and _, starting with a "
                                     "letter (up to 30)."))])
    url = models.CharField(
        _("URL"), max_length=300,
        validators=[RegexValidator(rf"\A(?:{WEB_SERVICE_URL_RE.pattern})\Z",
                                   _("An http:// or https:// address without query, quotes "
                                     "or spaces."))])
    timeout = models.PositiveSmallIntegerField(
        _("timeout (s)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(30)])
    comment = models.CharField(_("comments"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("web service")
        verbose_name_plural = _("web services")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("webservice-edit", args=[self.pk])


class Application(models.Model):
    """A voice application (seeds/002 "Applications (SVI)"): an internal number, public
    numbers routed to it, an active flag with optional dates, and a scenario."""

    name = models.CharField(_("name"), max_length=60, unique=True,
                            validators=[validate_safe_name],
                            error_messages={"unique": _("An application already has this "
                                                        "name.")})
    number = models.CharField(_("internal number"), max_length=10, unique=True,
                              validators=[validate_extension],
                              error_messages={"unique": _("This number is already used.")})
    active = models.BooleanField(_("active"), default=True)
    start = models.DateTimeField(_("from"), null=True, blank=True,
                                 help_text=_("Empty: active now."))
    end = models.DateTimeField(_("until"), null=True, blank=True,
                               help_text=_("Empty: no end."))
    comment = models.TextField(_("comments"), blank=True, max_length=2000)
    # Classes of outside numbers a "transfer to an outside number" may call (like a phone's
    # call rights, centrex.telephony.models.CALL_RIGHTS), comma-separated.
    call_rights = models.CharField(
        _("call rights"), max_length=60, blank=True, default="local,mobile",
        validators=[validate_call_rights],
        help_text=_("Classes of outside numbers the application may transfer to."))
    scenario = models.JSONField(_("scenario"), default=empty_scenario)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("application-edit", args=[self.pk])

    @property
    def rights(self) -> list[str]:
        return [item for item in self.call_rights.split(",") if item]

    def clean(self) -> None:
        from centrex.telephony import numbering

        errors = {}
        try:
            numbering.check_free(self.number, exclude=self, field="number")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if self.start and self.end and self.end <= self.start:
            errors["end"] = [_("The end must be after the start.")]
        if errors:
            raise ValidationError(errors)


class ApplicationRevision(models.Model):
    """A saved scenario. The dialplan keeps the last ``KEEP`` revisions of each application
    so that callers who entered an older one finish it."""

    KEEP = 3

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="revisions")
    revision = models.PositiveIntegerField()
    scenario = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["application", "-revision"]
        constraints = [models.UniqueConstraint(fields=["application", "revision"],
                                               name="ivr_application_revision_once")]

"""Voicemail: the mailbox of a phone, the SMTP settings, who wants e-mails, what was sent.

The messages themselves are not in the database: Asterisk keeps them in its spool
(``centrex.voicemail.spool``), and Asterisk's own manager actions move and remove them.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from centrex.telephony.models import Phone


class Mailbox(Phone):
    """A phone seen as a voicemail box. Its own class because its scope differs from a
    phone's: nobody but the phone's user opens it, whatever their profile."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")


class EmailSettings(models.Model):
    """The SMTP server Centrex sends its e-mails through (one row)."""

    NONE, STARTTLS, SSL = "none", "starttls", "ssl"
    SECURITY = [(NONE, _("none")), (STARTTLS, _("STARTTLS")), (SSL, _("SSL/TLS"))]

    host = models.CharField(_("SMTP server"), max_length=255, blank=True,
                            help_text=_("Empty: no e-mail is sent."))
    port = models.PositiveIntegerField(
        _("port"), default=587, validators=[MinValueValidator(1), MaxValueValidator(65535)])
    username = models.CharField(_("user name"), max_length=255, blank=True,
                                help_text=_("Empty: no authentication."))
    # Stored as typed (the SMTP server needs it back), never shown again on a page.
    password = models.CharField(_("password"), max_length=255, blank=True)
    from_email = models.EmailField(_("sender address"), blank=True,
                                   help_text=_("The From: of the e-mails Centrex sends."))
    security = models.CharField(_("security"), max_length=10, choices=SECURITY,
                                default=STARTTLS)
    timeout = models.PositiveSmallIntegerField(
        _("timeout (seconds)"), default=15,
        validators=[MinValueValidator(1), MaxValueValidator(120)])

    class Meta:
        verbose_name = _("e-mail settings")
        default_permissions = ("change",)

    def __str__(self) -> str:
        return str(_("e-mail settings"))

    @classmethod
    def get(cls) -> EmailSettings:
        return cls.objects.get_or_create(pk=1)[0]

    @property
    def configured(self) -> bool:
        return bool(self.host and self.from_email)


class Notification(models.Model):
    """A mailbox whose new messages are e-mailed to its user (User.email).

    ``since``: only messages left after the choice was made are sent, so switching it on
    does not flood the user with the old ones."""

    phone = models.OneToOneField(Phone, on_delete=models.CASCADE,
                                 related_name="voicemail_notification")
    enabled = models.BooleanField(_("e-mail me new messages"), default=False)
    since = models.DateTimeField()

    class Meta:
        verbose_name = _("voicemail notification")
        default_permissions = ()


class NotifiedMessage(models.Model):
    """One message Centrex has handled for notification (sent, skipped or failed), keyed
    by Asterisk's msg_id, which stays the same when the message moves between folders.
    The listener records before it sends nothing twice, and its scan on start catches
    what arrived while it was down."""

    SENT, SKIPPED, FAILED = "sent", "skipped", "failed"
    STATUSES = [(SENT, _("sent")), (SKIPPED, _("skipped")), (FAILED, _("failed"))]

    extension = models.CharField(max_length=10)
    msg_id = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=STATUSES)
    attempts = models.PositiveSmallIntegerField(default=0)
    detail = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["extension", "msg_id"],
                                               name="voicemail_notified_once")]

    def __str__(self) -> str:
        return f"{self.extension} {self.msg_id} {self.status}"

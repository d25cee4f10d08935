"""Phones: a PJSIP endpoint + AOR + auth, an extension number and a voicemail box."""

from __future__ import annotations

import hashlib
import re
import secrets
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_extension, validate_pin, validate_safe_name

# The digest realm of every phone's credentials: the stored hash (HA1) depends on it.
SIP_REALM = "centrex"


def generate_sip_username() -> str:
    """A random SIP user name, separate from the extension so it cannot be guessed from it."""
    alphabet = string.ascii_lowercase + string.digits
    return "u" + "".join(secrets.choice(alphabet) for _ in range(11))


def generate_sip_password() -> str:
    """A strong SIP secret (about 140 bits), from characters every phone accepts."""
    return secrets.token_urlsafe(18)


def generate_pin() -> str:
    return "".join(secrets.choice(string.digits) for _ in range(6))


def digest_ha1(username: str, password: str, realm: str = SIP_REALM) -> str:
    """The MD5 digest hash of a SIP credential, what Asterisk needs to check a password.

    Only this hash is stored and written to Asterisk's files, never the password itself,
    which is shown once when it is generated. MD5 is what every SIP phone supports; this is
    the SIP digest scheme (RFC 2617/3261), not a password-storage choice of ours.
    """
    return hashlib.md5(f"{username}:{realm}:{password}".encode(), usedforsecurity=False).hexdigest()


VOICEMAIL = "voicemail"
FORWARD_FIELDS = ("forward_always", "forward_busy", "forward_no_answer")
DESTINATION_RE = re.compile(r"\+?[0-9]{2,20}|" + VOICEMAIL)


def validate_destination(value: str) -> None:
    """A forward's destination: a number (an extension; external numbers are refused later,
    with the reason) or ``voicemail``."""
    if value and not DESTINATION_RE.fullmatch(value):
        raise ValidationError(
            _("A forward goes to a number or to “voicemail” (got “%(value)s”)."),
            code="invalid_destination", params={"value": value})


# Classes of outgoing calls a phone may place (seeds/002 "Droits d'appels"); emergency
# numbers are always allowed and are not a right. Outbound numbers are classified by
# ``centrex.routing`` (phonenumbers, against the home country).
CALL_RIGHTS = (
    ("internal", _("Internal")),
    ("services", _("Services")),
    ("local", _("Local and national")),
    ("mobile", _("Mobile")),
    ("international", _("International")),
)
PICKUP_GROUP_COUNT = 64  # Asterisk's call and pickup groups are numbered 0 to 63


class PickupGroup(models.Model):
    """One of Asterisk's 64 call/pickup groups, named for the phone forms (seeds/002,
    "Groupes d'interception"). The 64 rows always exist: a group cannot be deleted."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MaxValueValidator(PICKUP_GROUP_COUNT - 1)])
    name = models.CharField(_("name"), max_length=40, blank=True,
                            validators=[validate_safe_name])
    description = models.CharField(_("description"), max_length=120, blank=True,
                                   validators=[validate_safe_name])

    class Meta:
        ordering = ["number"]
        verbose_name = _("pickup group")
        verbose_name_plural = _("pickup groups")

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @classmethod
    def ensure_all(cls) -> None:
        """Create any of the 64 rows that is missing (the migration creates them; a database
        flushed by tests, or restored by hand, may lack some)."""
        if cls.objects.count() < PICKUP_GROUP_COUNT:
            cls.objects.bulk_create([cls(number=n) for n in range(PICKUP_GROUP_COUNT)],
                                    ignore_conflicts=True)


class Phone(models.Model):
    """A phone line: what a desk phone, a softphone or the web phone registers as."""

    extension = models.CharField(
        _("extension"),
        max_length=10,
        unique=True,
        validators=[validate_extension],
        error_messages={"unique": _("This extension is already used.")},
    )
    name = models.CharField(
        _("caller name"), max_length=80, validators=[validate_safe_name],
        help_text=_("Shown to the people this phone calls."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phones",
    )
    sip_username = models.CharField(
        _("SIP user name"), max_length=32, unique=True, default=generate_sip_username,
        editable=False,
    )
    sip_ha1 = models.CharField(_("SIP credential hash"), max_length=32, editable=False)
    ring_timeout = models.PositiveSmallIntegerField(
        _("ring time (seconds)"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(300)],
        help_text=_("How long the phone rings before the call goes to voicemail."),
    )
    voicemail_enabled = models.BooleanField(_("voicemail"), default=True)
    voicemail_pin = models.CharField(
        _("voicemail PIN"), max_length=8, default=generate_pin, validators=[validate_pin],
        help_text=_("Digits typed on the phone to listen to messages; not a web password."),
    )
    # Forwards and do-not-disturb (docs/forwards.md). A destination is another phone's
    # extension or ``voicemail`` (this phone's own box); empty means no forward. The rules
    # that need the acting user (external numbers, loops) are in ``centrex.telephony.forwards``.
    dnd = models.BooleanField(
        _("do not disturb"), default=False,
        help_text=_("Calls do not ring: they go to the forward on busy, else to voicemail, "
                    "else the caller hears busy."))
    forward_always = models.CharField(
        _("immediate forward"), max_length=21, blank=True, validators=[validate_destination],
        help_text=_("Every call goes there without ringing this phone."))
    forward_busy = models.CharField(
        _("forward on busy"), max_length=21, blank=True, validators=[validate_destination])
    forward_no_answer = models.CharField(
        _("forward on no answer"), max_length=21, blank=True,
        validators=[validate_destination])
    forward_no_answer_delay = models.PositiveSmallIntegerField(
        _("no-answer delay (seconds)"), default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text=_("How long the phone rings before the forward on no answer."))
    # Call rights (CALL_RIGHTS): default internal, local, mobile; never international.
    right_internal = models.BooleanField(_("internal calls"), default=True)
    right_services = models.BooleanField(_("service numbers"), default=False)
    right_local = models.BooleanField(_("local and national calls"), default=True)
    right_mobile = models.BooleanField(_("mobile calls"), default=True)
    right_international = models.BooleanField(
        _("international calls"), default=False,
        help_text=_("Limited to the allowed countries of the settings."))
    call_groups = models.ManyToManyField(
        PickupGroup, verbose_name=_("call groups"), blank=True, related_name="calling_phones",
        help_text=_("Calls to this phone can be picked up by the phones of these groups."))
    pickup_groups = models.ManyToManyField(
        PickupGroup, verbose_name=_("pickup groups"), blank=True,
        related_name="picking_phones",
        help_text=_("This phone can pick up calls ringing in these groups."))
    hotdesk = models.BooleanField(
        _("free seating"), default=False,
        help_text=_("Any user may log in on this phone with *77*<extension>* and their "
                    "voicemail PIN; while nobody is logged in it calls emergency numbers "
                    "only."))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["extension"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return f"{self.extension} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("phone-detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in FORWARD_FIELDS:
            value = getattr(self, name)
            if value == VOICEMAIL and not self.voicemail_enabled:
                errors[name] = _("This phone has no voicemail to forward to.")
            elif value and value == self.extension:
                errors[name] = _("A phone cannot forward to itself.")
        from centrex.telephony import numbering

        try:
            numbering.check_free(self.extension, exclude=self)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    @property
    def rights(self) -> list[str]:
        """The classes of outgoing calls this phone may place (emergency always)."""
        return [name for name, _label in CALL_RIGHTS if getattr(self, f"right_{name}")]

    @property
    def forwards_active(self) -> bool:
        return self.dnd or any(getattr(self, name) for name in FORWARD_FIELDS)

    def set_sip_password(self, password: str | None = None) -> str:
        """Set (or generate) the SIP secret; returns it so it can be shown once."""
        password = password or generate_sip_password()
        self.sip_ha1 = digest_ha1(self.sip_username, password)
        return password

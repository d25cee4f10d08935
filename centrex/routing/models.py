"""Trunks to operators, outbound routes, inbound numbers (DIDs) (docs/routing.md).

Everything here reaches Asterisk files (a PJSIP file and a dialplan file), so every field
follows a strict grammar checked by the validators below; the renderers check it again
(centrex/pbx/confgen/syntax.py) before a byte is written.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_public_number, validate_safe_name

TRUNK_NAME_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,30}")
HOST_RE = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")
# An address an operator calls from: IP, IP/prefix, host name, each with an optional :port.
MATCH_ITEM_RE = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[0-9]{1,2})?")
SIP_USER_RE = re.compile(r"[A-Za-z0-9_.+-]{1,64}")
# A SIP password goes into pjsip.conf: no ';' (comment), '#', quotes, spaces or brackets.
SECRET_RE = re.compile(r"[A-Za-z0-9!$%&()*+,./:<=>?@^_{|}~-]{1,80}")
# Codecs a trunk may offer, in the order the administrator gives.
CODECS = ("alaw", "ulaw", "g722", "g729", "gsm", "opus")
# An outbound route's pattern: digits, * # +, X (0-9), Z (1-9), N (2-9), [1-5] classes,
# and an optional final . (one or more digits) or ! (zero or more).
PATTERN_RE = re.compile(r"(?:[0-9*#+XZN]|\[[0-9](?:-?[0-9])*\]){1,30}[.!]?")
PREPEND_RE = re.compile(r"[0-9*#+]{0,20}")

TRANSPORTS = [("udp", "UDP"), ("tcp", "TCP")]
REGISTRATION, ADDRESS = "registration", "address"
AUTH_MODES = [(REGISTRATION, _("Registration (user name and password)")),
              (ADDRESS, _("By address (the operator's IP)"))]
EXTENSION, VOICEMAIL = "extension", "voicemail"
DESTINATIONS = [(EXTENSION, _("Internal number (phone, ring group...)")),
                (VOICEMAIL, _("Voicemail of a phone"))]


def _regex(pattern: re.Pattern, message) -> RegexValidator:
    return RegexValidator(regex=rf"\A(?:{pattern.pattern})\Z", message=message)


def validate_codecs(value: str) -> None:
    """A comma list of known codecs, each once (the order is the preference)."""
    items = [c.strip() for c in (value or "").split(",")]
    if not value or any(c not in CODECS for c in items) or len(set(items)) != len(items):
        raise ValidationError(
            _("Give codecs among %(codecs)s, separated by commas, each once."),
            code="invalid_codecs", params={"codecs": ", ".join(CODECS)})


def validate_match(value: str) -> None:
    items = [i.strip() for i in (value or "").split(",") if i.strip()]
    if any(not MATCH_ITEM_RE.fullmatch(i) for i in items):
        raise ValidationError(
            _("Give addresses such as 192.0.2.10, 192.0.2.0/24 or 192.0.2.10:5060, "
              "separated by commas."), code="invalid_match")


class Trunk(models.Model):
    """A SIP trunk to an operator: one PJSIP endpoint (``trunk-<name>``) with its AOR, and
    an outbound registration or an address identification."""

    name = models.CharField(
        _("name"), max_length=31, unique=True,
        validators=[_regex(TRUNK_NAME_RE, _("Lowercase letters, digits and dashes, "
                                            "up to 31 characters."))],
        help_text=_("Short identifier, e.g. operator-a (lowercase letters, digits, dashes)."))
    host = models.CharField(
        _("host"), max_length=253,
        validators=[_regex(HOST_RE, _("A host name or an IP address."))],
        help_text=_("The operator's SIP server (host name or IP address)."))
    port = models.PositiveIntegerField(
        _("port"), default=5060, validators=[MinValueValidator(1), MaxValueValidator(65535)])
    transport = models.CharField(_("transport"), max_length=3, choices=TRANSPORTS,
                                 default="udp")
    auth_mode = models.CharField(_("authentication"), max_length=12, choices=AUTH_MODES,
                                 default=REGISTRATION)
    username = models.CharField(
        _("user name"), max_length=64, blank=True,
        validators=[_regex(SIP_USER_RE, _("Letters, digits and _ . + - only."))])
    # Kept in clear: the registration needs it. Never shown back by a page or the API.
    password = models.CharField(
        _("password"), max_length=80, blank=True,
        validators=[_regex(SECRET_RE, _("No spaces, quotes, ';', '#', brackets or "
                                        "backslashes."))])
    match = models.CharField(
        _("operator addresses"), max_length=500, blank=True, validators=[validate_match],
        help_text=_("Addresses the operator calls from (IP, network, optional :port), "
                    "separated by commas. Empty: the host and port above."))
    codecs = models.CharField(
        _("codecs"), max_length=60, default="alaw,ulaw", validators=[validate_codecs],
        help_text=_("In order of preference, separated by commas (alaw, ulaw, g722...)."))
    max_channels = models.PositiveIntegerField(
        _("maximum simultaneous calls"), default=0, validators=[MaxValueValidator(10000)],
        help_text=_("0: no limit. A trunk at its limit is skipped by the outbound routes."))
    default_caller_id = models.CharField(
        _("default outbound number"), max_length=21, blank=True,
        validators=[validate_public_number],
        help_text=_("Shown on outgoing calls of users without an outbound caller ID of "
                    "their own or of their department."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("trunk")
        verbose_name_plural = _("trunks")

    def __str__(self) -> str:
        return self.name

    @property
    def endpoint(self) -> str:
        return f"trunk-{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("trunk-edit", args=[self.pk])

    def clean(self) -> None:
        if self.codecs:
            self.codecs = ",".join(c.strip() for c in self.codecs.split(","))
        self.match = ",".join(i.strip() for i in self.match.split(",") if i.strip())
        if self.auth_mode == REGISTRATION and not (self.username and self.password):
            raise ValidationError({"username": _("A registration needs a user name and a "
                                                 "password.")})


class Route(models.Model):
    """Numbers matching ``pattern`` go out through ``trunks`` in order (next on failure)."""

    name = models.CharField(_("name"), max_length=60, unique=True,
                            validators=[validate_safe_name])
    pattern = models.CharField(
        _("pattern"), max_length=60, unique=True,
        validators=[_regex(PATTERN_RE, _("Digits, X (any digit), Z (1-9), N (2-9), [1-5], "
                                         "and an optional final . (more digits)."))],
        error_messages={"unique": _("Another route already has this pattern.")},
        help_text=_("What the phones dial, e.g. 0Z. (national), 00. (international), "
                    "06XXXXXXXX. X = any digit, Z = 1-9, N = 2-9, final . = more digits."))
    strip = models.PositiveSmallIntegerField(
        _("digits to strip"), default=0, validators=[MaxValueValidator(20)],
        help_text=_("Removed from the start of the number before it goes out."))
    prepend = models.CharField(
        _("digits to prepend"), max_length=20, blank=True,
        validators=[_regex(PREPEND_RE, _("Digits, *, # and + only."))],
        help_text=_("Added in front of the number (after stripping)."))
    trunks = models.ManyToManyField(Trunk, through="RouteTrunk", related_name="routes",
                                    verbose_name=_("trunks"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("outbound route")
        verbose_name_plural = _("outbound routes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("route-edit", args=[self.pk])

    @property
    def dialplan_pattern(self) -> str:
        """The extension as written in the dialplan: ``_`` unless a plain number."""
        return self.pattern if self.pattern.isdigit() else f"_{self.pattern}"

    def ordered_trunks(self) -> list[Trunk]:
        return [rt.trunk for rt in self.route_trunks.select_related("trunk").order_by(
            "position")]


class RouteTrunk(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="route_trunks")
    trunk = models.ForeignKey(Trunk, on_delete=models.CASCADE, related_name="route_trunks")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["route", "position"]
        constraints = [models.UniqueConstraint(fields=["route", "trunk"],
                                               name="routing_route_trunk_once")]


class InboundNumber(models.Model):
    """A number the operators send calls to (DID), and where those calls go."""

    number = models.CharField(
        _("number"), max_length=21, unique=True, validators=[validate_public_number],
        error_messages={"unique": _("This number is already routed.")},
        help_text=_("As the operator sends it, e.g. 0155003201 or +33155003201."))
    destination = models.CharField(_("destination"), max_length=10, choices=DESTINATIONS,
                                   default=EXTENSION)
    target = models.CharField(
        _("internal number"), max_length=10,
        help_text=_("The extension (phone, ring group, conference room...) or the phone "
                    "whose voicemail takes the calls."))
    description = models.CharField(_("description"), max_length=80, blank=True,
                                   validators=[validate_safe_name])

    class Meta:
        ordering = ["number"]
        verbose_name = _("inbound number")
        verbose_name_plural = _("inbound numbers")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("did-edit", args=[self.pk])

    def clean(self) -> None:
        from centrex.telephony import numbering
        from centrex.telephony.models import Phone

        if not self.target:
            return
        if self.destination == VOICEMAIL:
            if not Phone.objects.filter(extension=self.target, voicemail_enabled=True).exists():
                raise ValidationError({"target": _("No phone with this extension has a "
                                                   "voicemail box.")})
        elif not numbering.reachable(self.target):
            raise ValidationError({"target": _("No phone, ring group or conference room has "
                                               "this number.")})

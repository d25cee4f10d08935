"""Models of the contact center (docs/contact_center.md).

A ``Queue`` is an Asterisk queue (``queues.conf``) with an internal number. Who may work in
it is the ``AG <queue>`` profile; who supervises it, ``SV <queue>``. An ``Agent`` row is a
user's place in a queue — penalty, logged in or not, paused and why — kept here, not in
Asterisk, so that a restart of Asterisk or a reload of the queues never loses it: Centrex
re-applies these rows to Asterisk after each (re)connection and each reload.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.models import SingleRow
from centrex.core.validators import validate_extension, validate_safe_name
from centrex.telephony import numbering
from centrex.telephony.models import Phone

# A queue's name is its Asterisk section name and the end of its profiles' names
# ("AG Hotline"): letters, digits, "_" and "-", starting with a letter.
QUEUE_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
# Music-on-hold classes and sound names as Asterisk knows them (no path, no extension).
SOUND_RE = re.compile(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*")
# The conditions of queues.conf's joinempty / leavewhenempty.
EMPTY_CONDITIONS = [
    ("paused", _("all agents paused")),
    ("penalty", _("agents only above the penalty limit")),
    ("inuse", _("all agents in a call")),
    ("ringing", _("all agents ringing")),
    ("unavailable", _("agents' phones unavailable")),
    ("invalid", _("agents' phones invalid")),
    ("unknown", _("agents' phones in an unknown state")),
    ("wrapup", _("all agents in wrap-up")),
]
_EMPTY_VALUES = {value for value, _label in EMPTY_CONDITIONS}


def validate_queue_name(value: str) -> None:
    if not isinstance(value, str) or not QUEUE_NAME_RE.fullmatch(value):
        raise ValidationError(
            _("A queue name is 1 to 40 letters, digits, “_” or “-”, starting with a letter "
              "(got “%(value)s”)."), code="invalid_queue_name", params={"value": value})


def validate_sound(value: str) -> None:
    if value and (not isinstance(value, str) or not SOUND_RE.fullmatch(value)
                  or len(value) > 80):
        raise ValidationError(
            _("A sound or music class is a name made of letters, digits, “_”, “-” and “/” "
              "(got “%(value)s”)."), code="invalid_sound", params={"value": value})


def validate_empty_conditions(value: str) -> None:
    parts = [p for p in (value or "").split(",") if p]
    unknown = [p for p in parts if p not in _EMPTY_VALUES]
    if unknown or len(parts) != len(set(parts)):
        raise ValidationError(_("Unknown or repeated condition: %(value)s."),
                              code="invalid_condition", params={"value": ", ".join(unknown)})


class Queue(models.Model):
    """An ACD queue ("groupe d'appels", seeds/002): the queues.conf options call centers use."""

    STRATEGIES = [
        ("ringall", _("Ring all agents")),
        ("leastrecent", _("Least recently called")),
        ("fewestcalls", _("Fewest calls")),
        ("random", _("Random")),
        ("rrmemory", _("Round robin with memory")),
        ("linear", _("Linear (in order)")),
        ("wrandom", _("Weighted random (by penalty)")),
    ]
    HOLDTIME = [("no", _("No")), ("yes", _("Yes")), ("once", _("Once"))]
    POSITION = [("no", _("No")), ("yes", _("Yes")), ("more", _("Only beyond a limit")),
                ("limit", _("Only up to a limit"))]
    HANGUP = "hangup"
    NUMBER = "number"
    VOICEMAIL = "voicemail"
    OVERFLOWS = [(HANGUP, _("Hang up")), (NUMBER, _("Another internal number")),
                 (VOICEMAIL, _("A phone's voicemail"))]

    name = models.CharField(_("name"), max_length=40, unique=True,
                            validators=[validate_queue_name],
                            error_messages={"unique": _("A queue with this name exists.")})
    description = models.CharField(_("description"), max_length=120, blank=True,
                                   validators=[validate_safe_name])
    extension = models.CharField(
        _("extension"), max_length=10, unique=True, validators=[validate_extension],
        error_messages={"unique": _("This extension is already used.")},
        help_text=_("The internal number callers, inbound numbers and ring groups reach the "
                    "queue on."))
    strategy = models.CharField(_("call distribution"), max_length=12, choices=STRATEGIES,
                                default="ringall")
    music_on_hold = models.CharField(_("music on hold"), max_length=80, default="default",
                                     validators=[validate_sound])
    agent_announcement = models.CharField(
        _("agent announcement"), max_length=80, blank=True, validators=[validate_sound],
        help_text=_("A sound played to the agent before the caller is connected."))
    ring_time = models.PositiveSmallIntegerField(
        _("ring time (seconds)"), default=15,
        validators=[MinValueValidator(5), MaxValueValidator(300)],
        help_text=_("How long an agent's phone rings before the queue tries again."))
    retry = models.PositiveSmallIntegerField(
        _("retry delay (seconds)"), default=5,
        validators=[MinValueValidator(0), MaxValueValidator(60)])
    wrapup_time = models.PositiveSmallIntegerField(
        _("wrap-up time (seconds)"), default=0, validators=[MaxValueValidator(3600)],
        help_text=_("Time given to an agent after each call before the next one."))
    announce_frequency = models.PositiveSmallIntegerField(
        _("announce frequency (seconds)"), default=0, validators=[MaxValueValidator(3600)],
        help_text=_("How often callers hear their position or waiting time; 0: never."))
    min_announce_frequency = models.PositiveSmallIntegerField(
        _("minimum announce frequency (seconds)"), default=15,
        validators=[MaxValueValidator(3600)])
    announce_holdtime = models.CharField(_("announce waiting time"), max_length=4,
                                         choices=HOLDTIME, default="no")
    announce_position = models.CharField(_("announce position"), max_length=5,
                                         choices=POSITION, default="no")
    max_callers = models.PositiveSmallIntegerField(
        _("maximum waiting callers"), default=0, validators=[MaxValueValidator(10000)],
        help_text=_("0: no limit. Callers beyond it go to the destination below."))
    max_wait = models.PositiveSmallIntegerField(
        _("maximum waiting time (seconds)"), default=0, validators=[MaxValueValidator(36000)],
        help_text=_("0: no limit. After it the caller goes to the destination below."))
    overflow = models.CharField(_("when the caller cannot be served"), max_length=10,
                                choices=OVERFLOWS, default=HANGUP)
    overflow_number = models.CharField(
        _("destination number"), max_length=10, blank=True, validators=[validate_extension],
        help_text=_("The internal number, or the extension of the phone whose voicemail "
                    "takes the call."))
    schedule = models.ForeignKey(
        "ivr.Schedule", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("opening hours"),
        help_text=_("Outside them, callers go to the destination above at once, counted as "
                    "“closed” in the statistics. Empty: always open."))
    join_empty = models.CharField(
        _("refuse new callers when"), max_length=80, blank=True,
        validators=[validate_empty_conditions],
        help_text=_("Conditions, all agents considered (queues.conf joinempty)."))
    leave_when_empty = models.CharField(
        _("send waiting callers away when"), max_length=80, blank=True,
        validators=[validate_empty_conditions],
        help_text=_("Conditions, all agents considered (queues.conf leavewhenempty)."))
    service_level = models.PositiveSmallIntegerField(
        _("service level threshold (seconds)"), default=60,
        validators=[MinValueValidator(1), MaxValueValidator(3600)],
        help_text=_("A call answered within this wait counts as served in time."))
    record = models.BooleanField(_("record calls"), default=False)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("An agent in several queues serves the heavier queue first."))
    autopause = models.BooleanField(
        _("pause an agent after a missed call"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        # Held through the per-queue profiles ("AG <queue>", "SV <queue>"), so they only
        # count together with membership of that queue's group (contact_center/scope.py).
        permissions = [("work", "Work in a queue as an agent"),
                       ("supervise", "Supervise a queue")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("queue-edit", args=[self.pk])

    @property
    def agents_profile(self) -> str:
        return f"AG {self.name}"

    @property
    def supervisors_profile(self) -> str:
        return f"SV {self.name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        try:
            numbering.check_free(self.extension, exclude=self)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        target = self.overflow_number
        if self.overflow == self.HANGUP:
            self.overflow_number = ""
        elif not target:
            errors["overflow_number"] = [_("Give the number the call goes to.")]
        elif target == self.extension:
            errors["overflow_number"] = [_("A queue cannot overflow to itself.")]
        elif self.overflow == self.VOICEMAIL:
            if not Phone.objects.filter(extension=target, voicemail_enabled=True).exists():
                errors["overflow_number"] = [_("“%(number)s” is not a phone with a voicemail.")
                                             % {"number": target}]
        elif not numbering.reachable(target):
            errors["overflow_number"] = [_("“%(number)s” is not a number of this PBX.")
                                         % {"number": target}]
        if errors:
            raise ValidationError(errors)


class PauseReason(models.Model):
    """A reason an agent gives for a pause (lunch, training, back office...), kept by the
    administrator; its code is what an agent dials after the pause feature code."""

    name = models.CharField(_("name"), max_length=40, unique=True,
                            validators=[validate_safe_name],
                            error_messages={"unique": _("This reason exists already.")})
    code = models.CharField(
        _("code"), max_length=2, unique=True,
        validators=[RegexValidator(r"^[0-9]{1,2}$", _("One or two digits."))],
        error_messages={"unique": _("This code is already used.")},
        help_text=_("One or two digits, dialled after *46 to pause with this reason."))
    active = models.BooleanField(_("offered to agents"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("pause reason")
        verbose_name_plural = _("pause reasons")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pausereason-edit", args=[self.pk])


class Agent(models.Model):
    """A user's place in a queue: penalty, session and pause. The database is the truth;
    Asterisk's queue members are made to match it (``services.reconcile``)."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="agents",
                              verbose_name=_("queue"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="queue_agents", verbose_name=_("agent"))
    penalty = models.PositiveSmallIntegerField(
        _("penalty"), default=0, validators=[MaxValueValidator(99)],
        help_text=_("Agents with a lower penalty get the calls first."))
    # The session: which phone the agent takes calls on, since when.
    phone = models.ForeignKey(Phone, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="queue_agents", verbose_name=_("phone"))
    logged_in = models.BooleanField(_("logged in"), default=False)
    logged_in_at = models.DateTimeField(_("logged in since"), null=True, blank=True)
    paused = models.BooleanField(_("paused"), default=False)
    pause_reason = models.ForeignKey(PauseReason, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("pause reason"))
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)

    class Meta:
        ordering = ["queue", "penalty", "user__username"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [models.UniqueConstraint(fields=["queue", "user"],
                                               name="contact_center_one_agent_per_queue")]

    def __str__(self) -> str:
        return f"{self.user} ({self.queue})"

    @property
    def interface(self) -> str:
        """The queue member's interface in Asterisk: the agent's phone's endpoint."""
        return f"PJSIP/{self.phone.sip_username}" if self.phone else ""


class Recording(models.Model):
    """A recorded queue call: by the queue's setting (``recorded_by`` empty) or on demand by
    a supervisor. ``path`` is relative to Asterisk's monitor folder."""

    queue = models.ForeignKey(Queue, null=True, on_delete=models.SET_NULL,
                              related_name="recordings", verbose_name=_("queue"))
    queue_name = models.CharField(_("queue"), max_length=40)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("agent"))
    agent_name = models.CharField(_("agent"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    caller = models.CharField(_("caller"), max_length=80, blank=True)
    uniqueid = models.CharField(_("call id"), max_length=64, db_index=True)
    path = models.CharField(_("file"), max_length=255, unique=True)
    started_at = models.DateTimeField(_("date"), db_index=True)
    duration = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return f"{self.queue_name} {self.started_at:%Y-%m-%d %H:%M}"


class ContactCenterSettings(SingleRow):
    """Settings of the contact center as a whole (one row)."""

    recording_retention_days = models.PositiveSmallIntegerField(
        _("keep recordings for (days)"), default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Older recordings are deleted, files and list entries."))

    class Meta:
        verbose_name = _("contact center settings")

    def __str__(self) -> str:
        return str(_("contact center settings"))



def _queues() -> models.QuerySet:
    return Queue.objects.all()


def register_numbers() -> None:
    """Queues take internal numbers, answered in centrex-internal: inbound numbers, ring
    groups and forwards may send calls to them."""
    numbering.register_source(_("a queue"), _queues, reachable=True)

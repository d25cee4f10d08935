"""What Asterisk recorded, as Centrex keeps it (docs/records.md).

``Cdr`` and ``QueueEvent`` are Asterisk's own records, one row per line of its files,
unique on what identifies the line so that reading a line twice stores it once.
``Call`` is one row per call (a ``linkedid``: every leg of a call shares it), made from its
CDRs at ingestion: what the call log lists, filters and exports with indexed queries.
``IngestCursor`` remembers where the reading of each file stopped.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centrex.core.models import SingleRow

STATES = [
    ("answered", pgettext_lazy("call state", "Answered")),
    ("voicemail", pgettext_lazy("call state", "Voicemail")),
    ("no_answer", pgettext_lazy("call state", "No answer")),
    ("busy", pgettext_lazy("call state", "Busy")),
    ("failed", pgettext_lazy("call state", "Failed")),
]
DIRECTIONS = [
    ("in", _("Incoming")),
    ("out", _("Outgoing")),
    ("internal", _("Internal")),
]


class IngestCursor(models.Model):
    """How far a record file has been read: the file is known by its inode (a rotation
    renames it) and its first bytes; the offset is just after the last complete line
    stored (centrex/pbx/ingest/follow.py)."""

    source = models.CharField(max_length=20, unique=True)
    device = models.BigIntegerField(default=0)
    inode = models.BigIntegerField(default=0)
    offset = models.BigIntegerField(default=0)
    head = models.CharField(max_length=64, blank=True)
    head_size = models.PositiveIntegerField(default=0)
    lines = models.BigIntegerField(default=0)
    skipped = models.BigIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)


class Cdr(models.Model):
    """One CDR as Asterisk wrote it (times in UTC)."""

    uniqueid = models.CharField(max_length=64)
    linkedid = models.CharField(max_length=64, db_index=True)
    sequence = models.BigIntegerField()
    start = models.DateTimeField()
    answer = models.DateTimeField(null=True)
    end = models.DateTimeField()
    duration = models.PositiveIntegerField()
    billsec = models.PositiveIntegerField()
    disposition = models.CharField(max_length=12)
    src = models.CharField(max_length=80)
    dst = models.CharField(max_length=80)
    dcontext = models.CharField(max_length=80)
    clid = models.CharField(max_length=160)
    channel = models.CharField(max_length=160)
    dstchannel = models.CharField(max_length=160)
    lastapp = models.CharField(max_length=40)
    lastdata = models.CharField(max_length=255)
    accountcode = models.CharField(max_length=80)
    userfield = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["uniqueid", "sequence"],
                                               name="reports_cdr_unique_line")]


class QueueEvent(models.Model):
    """One line of queue_log."""

    time = models.DateTimeField()
    callid = models.CharField(max_length=64)
    queue = models.CharField(max_length=40)
    agent = models.CharField(max_length=80)
    event = models.CharField(max_length=30)
    data1 = models.CharField(max_length=255, blank=True)
    data2 = models.CharField(max_length=255, blank=True)
    data3 = models.CharField(max_length=255, blank=True)
    data4 = models.CharField(max_length=255, blank=True)
    data5 = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["time"]), models.Index(fields=["callid"]),
                   models.Index(fields=["queue", "time"])]
        constraints = [models.UniqueConstraint(
            fields=["time", "callid", "queue", "agent", "event", "data1", "data2", "data3"],
            name="reports_queueevent_unique_line")]


class Call(models.Model):
    """One call, from all its CDRs: who called, what was dialled, who answered, how it
    ended. The parties are kept as numbers *and*, when they are Centrex phones, as the user
    and department they had at the time (the scope of the call log and of billing)."""

    linkedid = models.CharField(max_length=64, unique=True)
    uniqueid = models.CharField(_("call id"), max_length=64, db_index=True)
    start = models.DateTimeField(_("date"))
    # The start in the site's time zone, for the statistics' GROUP BY (no per-row time
    # zone arithmetic in SQL: a year of calls is grouped in well under a second).
    day = models.DateField(default=datetime.date.min)
    hour = models.PositiveSmallIntegerField(default=0)
    direction = models.CharField(_("type"), max_length=8, choices=DIRECTIONS)
    state = models.CharField(_("state"), max_length=10, choices=STATES)
    source = models.CharField(_("source"), max_length=80)
    source_name = models.CharField(_("caller name"), max_length=80, blank=True)
    destination = models.CharField(_("destination"), max_length=80)
    answered_by = models.CharField(_("answered by"), max_length=80, blank=True)
    duration = models.PositiveIntegerField(_("duration"), default=0,
                                           help_text=_("Talk time in seconds."))
    ring_time = models.PositiveIntegerField(default=0)
    trunk = models.CharField(_("trunk"), max_length=40, blank=True)
    queue = models.CharField(_("queue"), max_length=40, blank=True)
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    caller_department = models.ForeignKey("core.Department", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")
    callee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    callee_department = models.ForeignKey("core.Department", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-start", "-pk"]
        indexes = [models.Index(fields=["start"]),
                   models.Index(fields=["day", "hour"]),
                   models.Index(fields=["caller", "start"]),
                   models.Index(fields=["callee", "start"]),
                   models.Index(fields=["caller_department", "start"]),
                   models.Index(fields=["callee_department", "start"]),
                   models.Index(fields=["direction", "start"])]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return f"{self.source} → {self.destination}"


class ReportSettings(SingleRow):
    """Settings of the call log and reports (one row)."""

    mask_digits = models.PositiveSmallIntegerField(
        _("hidden digits of outside numbers"), default=0,
        validators=[MaxValueValidator(10)],
        help_text=_("The call log shows outside numbers with this many last digits replaced "
                    "by * (0: in full), on the page, in exports and in the API."))

    short_abandon = models.PositiveSmallIntegerField(
        _("short abandon (seconds)"), default=5, validators=[MaxValueValidator(120)],
        help_text=_("A caller who hangs up within this many seconds of joining a queue is "
                    "counted apart (a wrong number, an impatient caller), and left out of "
                    "the service level."))

    class Meta:
        verbose_name = _("report settings")

    def __str__(self) -> str:
        return str(_("report settings"))


QUEUE_OUTCOMES = [
    ("answered", _("Answered")),
    ("abandoned", _("Abandoned")),
    ("dissuaded", _("Dissuaded")),
    ("closed", _("Closed")),
    ("waiting", _("Waiting")),
]


class QueueCall(models.Model):
    """One call's visit to one queue, from its queue_log lines (docs/statistics.md): when it
    came, how it left the queue, how long it waited and talked, and to which agent."""

    callid = models.CharField(max_length=64)
    queue = models.CharField(_("queue"), max_length=40)
    entered = models.DateTimeField(_("date"))
    day = models.DateField(default=datetime.date.min)  # as Call.day: the site's time zone
    hour = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=QUEUE_OUTCOMES)
    reason = models.CharField(max_length=30, blank=True,
                              help_text="The queue_log event that ended the visit.")
    wait = models.PositiveIntegerField(_("waiting time"), default=0)
    talk = models.PositiveIntegerField(_("talk time"), default=0)
    agent = models.CharField(_("agent"), max_length=80, blank=True)
    caller = models.CharField(_("caller"), max_length=80, blank=True)

    class Meta:
        indexes = [models.Index(fields=["entered"]), models.Index(fields=["queue", "day"]),
                   models.Index(fields=["agent", "day"])]
        constraints = [models.UniqueConstraint(fields=["callid", "queue"],
                                               name="reports_queuecall_unique")]
        # Held by administrators, the "direction" profile (all queues) and each queue's
        # supervisors (their queues: contact_center/scope.py).
        permissions = [("view_queue_statistics", "Can read the queue statistics")]

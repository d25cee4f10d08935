"""What Asterisk recorded, as Centrex keeps it (docs/records.md).

``Cdr`` and ``QueueEvent`` are Asterisk's own records, one row per line of its files,
unique on what identifies the line so that reading a line twice stores it once.
``Call`` is one row per call (a ``linkedid``: every leg of a call shares it), made from its
CDRs at ingestion: what the call log lists, filters and exports with indexed queries.
``IngestCursor`` remembers where the reading of each file stopped.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.dates import WEEKDAYS
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
PRICINGS = [
    ("", _("Not billed")),
    ("priced", _("Priced")),
    ("unmatched", _("No matching rate")),
    ("forbidden", _("Forbidden destination")),
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
    linkedid = models.CharField(max_length=64)
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
        # A line read twice is stored once; the same index finds a call's legs by linkedid
        # (one index per CDR instead of two).
        constraints = [models.UniqueConstraint(fields=["linkedid", "uniqueid", "sequence"],
                                               name="reports_cdr_unique_leg")]


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
    # A 64-bit hash of the line (centrex.pbx.ingest.records.line_key): a line read twice is
    # stored once, with one small unique index (time, key) instead of one over every column
    # — the time first, so that new lines go to the end of the index instead of to random
    # places of a 6-million-line index.
    key = models.BigIntegerField()

    class Meta:
        # No index besides the key: visits and calls are found through ``QueueCall``, the
        # agents' sessions through ``AgentEvent``; every index was one more write per line
        # ingested (6 million lines a year).
        constraints = [models.UniqueConstraint(fields=["time", "key"],
                                               name="reports_queueevent_unique_line")]

    def save(self, *args, **kwargs) -> None:
        """A line made here rather than read from the file gets its key all the same."""
        if self.key is None:
            from centrex.pbx.ingest.records import line_key

            self.key = line_key(int(self.time.timestamp()), self.callid, self.queue,
                                self.agent, self.event, (self.data1, self.data2, self.data3,
                                                         self.data4, self.data5))
        super().save(*args, **kwargs)


AGENT_EVENTS = ("ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL")


class AgentEvent(models.Model):
    """The queue_log lines of agents' sessions and pauses (``AGENT_EVENTS``), kept apart
    as well: the agent report reads a year of them — some 150,000 to 300,000 — from this
    small table, in agent and time order, instead of picking them out of millions of queue
    events. The time is queue_log's own (seconds since 1970, UTC), which the report
    computes with; the index holds every column the report reads (no table lookup)."""

    at = models.BigIntegerField()
    agent = models.CharField(max_length=80)
    queue = models.CharField(max_length=40)
    event = models.CharField(max_length=30)
    reason = models.CharField(max_length=255, blank=True)  # data1: a pause's reason
    key = models.BigIntegerField()  # as QueueEvent.key: a line read twice is stored once

    class Meta:
        # (agent, at, id): the report's order, the file's for lines of the same second.
        indexes = [models.Index(fields=["agent", "at", "id", "event", "queue", "reason"],
                                name="reports_agentevent_report")]
        constraints = [models.UniqueConstraint(fields=["at", "key"],
                                               name="reports_agentevent_unique_line")]


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
    # Billing: answered outgoing calls, priced once at ingestion (ten-thousandths).
    pricing = models.CharField(_("pricing"), max_length=10, blank=True, choices=PRICINGS)
    zone = models.CharField(_("zone"), max_length=60, blank=True)
    cost = models.BigIntegerField(_("cost excl. VAT"), null=True, blank=True)
    cost_vat = models.BigIntegerField(_("cost incl. VAT"), null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    # No index of their own (db_index=False): the (party, start) indexes below serve the
    # lookups by party too, and every index is one more write per ingested call.
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+", db_index=False)
    caller_department = models.ForeignKey("core.Department", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+",
                                          db_index=False)
    callee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+", db_index=False)
    callee_department = models.ForeignKey("core.Department", null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="+",
                                          db_index=False)

    class Meta:
        ordering = ["-start", "-pk"]
        # The parties' indexes hold only the calls that have that party (a call from
        # outside has no caller, one to outside no callee): two index writes fewer per call.
        # A lookup by party (``caller=user``) implies "not null": both databases use them.
        indexes = [models.Index(fields=["start"]),
                   models.Index(fields=["day", "hour"]),
                   models.Index(fields=["pricing", "day"]),
                   *(models.Index(fields=[party, "start"], name=f"reports_call_{party}",
                                  condition=models.Q(**{f"{party}__isnull": False}))
                     for party in ("caller", "callee", "caller_department",
                                   "callee_department")),
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
        # (day, queue): the per-day totals are recomputed by day (``rollup``); the reports
        # read those totals, not these rows.
        indexes = [models.Index(fields=["entered"]), models.Index(fields=["day", "queue"])]
        constraints = [models.UniqueConstraint(fields=["callid", "queue"],
                                               name="reports_queuecall_unique")]
        # Held by administrators, the "direction" profile (all queues) and each queue's
        # supervisors (their queues: contact_center/scope.py).
        permissions = [("view_queue_statistics", "Can read the queue statistics")]


# -- per-day totals (centrex/reports/rollup.py) ---------------------------------------------
def _party(model: str) -> models.ForeignKey:
    """A user or department as the totals keep it: no constraint and no cascade (a day's
    totals stay as they were when a user leaves), filtered with the same lookups as
    ``Call``'s own parties (``caller=user``, ``caller_department_id``)."""
    return models.ForeignKey(model, null=True, on_delete=models.DO_NOTHING, related_name="+",
                             db_constraint=False, db_index=False)


class QueueHourly(models.Model):
    """Queue visits that left the queue, per day, queue, hour and outcome."""

    day = models.DateField()
    queue = models.CharField(max_length=40)
    hour = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10)
    calls = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "queue"])]


class QueueWaits(models.Model):
    """Queue visits per day, queue, ending (the queue_log event) and waiting time to the
    second: the service level of any threshold, the short abandons of any setting."""

    day = models.DateField()
    queue = models.CharField(max_length=40)
    reason = models.CharField(max_length=30)
    outcome = models.CharField(max_length=10)
    wait = models.PositiveIntegerField()
    calls = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "queue"])]


class AgentDaily(models.Model):
    """Queue calls an agent answered in a day, with their talk and wrap-up time."""

    day = models.DateField()
    agent = models.CharField(max_length=80)
    queue = models.CharField(max_length=40)
    answered = models.PositiveIntegerField()
    talk = models.PositiveBigIntegerField()
    wrapup = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "agent"])]


class CallHourly(models.Model):
    """Calls per day, hour, type and the departments of both sides (global statistics)."""

    day = models.DateField()
    hour = models.PositiveSmallIntegerField()
    direction = models.CharField(max_length=8)
    caller_department = _party("core.Department")
    callee_department = _party("core.Department")
    calls = models.PositiveIntegerField()
    duration = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "hour"])]


class CallerDaily(models.Model):
    """Calls a user's phone placed in a day, per type (the agents' calls made)."""

    day = models.DateField()
    caller = _party(settings.AUTH_USER_MODEL)
    direction = models.CharField(max_length=8)
    calls = models.PositiveIntegerField()
    duration = models.PositiveBigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "caller"])]


class BillingDaily(models.Model):
    """Priced calls (and forbidden or unmatched ones) per day, department and phone: the
    billing recap."""

    day = models.DateField()
    caller_department = _party("core.Department")
    caller = _party(settings.AUTH_USER_MODEL)
    source = models.CharField(max_length=80)
    calls = models.PositiveIntegerField()
    duration = models.PositiveBigIntegerField()
    cost = models.BigIntegerField()
    cost_vat = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "caller_department"])]


# -- billing (seeds/002 "Facturation") --------------------------------------------------------
class RatePlan(models.Model):
    """A tariff: its zones (with their prices) and the prefixes that lead to them
    (docs/billing.md). The active plan prices each answered outgoing call once, when it
    is ingested; re-pricing a period with the active plan is an explicit action."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR",
                                validators=[RegexValidator(r"^[A-Z]{3}$",
                                                           _("Three capital letters (ISO 4217)."))])
    vat_percent = models.DecimalField(_("VAT (%)"), max_digits=5, decimal_places=2,
                                      default=Decimal("20.00"),
                                      validators=[MinValueValidator(0),
                                                  MaxValueValidator(100)])
    peak_start = models.TimeField(_("peak hours from"), default=datetime.time(8))
    peak_end = models.TimeField(_("peak hours until"), default=datetime.time(19))
    # The weekdays with peak hours, as digits (0 = Monday): "01234" is Monday to Friday.
    peak_days = models.CharField(
        _("peak days"), max_length=7, blank=True, default="01234",
        validators=[RegexValidator(r"^[0-6]{0,7}$",
                                   _("Weekdays are 0 (Monday) to 6 (Sunday)."))],
        help_text=_("The days with peak hours; the other days are off-peak all day."))
    holidays_offpeak = models.BooleanField(
        _("holidays are off-peak"), default=True,
        help_text=_("The holidays of the calendars are billed at the off-peak price."))
    active = models.BooleanField(_("in force"), default=False,
                                 help_text=_("The plan that prices new calls (one at a time)."))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rate plan")
        verbose_name_plural = _("rate plans")

    def __str__(self) -> str:
        return self.name

    def peak_weekdays(self) -> frozenset[int]:
        return frozenset(int(day) for day in self.peak_days)

    def peak_days_display(self) -> str:
        """The peak days by name, Monday first, in the reader's language."""
        return ", ".join(str(WEEKDAYS[day]) for day in sorted(self.peak_weekdays()))


class Zone(models.Model):
    """A destination zone and its prices (in ten-thousandths of the currency)."""

    plan = models.ForeignKey(RatePlan, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("zone"), max_length=60)
    peak = models.PositiveBigIntegerField(_("peak price per minute"), default=0)
    offpeak = models.PositiveBigIntegerField(_("off-peak price per minute"), default=0)
    setup = models.PositiveBigIntegerField(_("connection charge"), default=0)
    minimum = models.PositiveBigIntegerField(_("minimum charge"), default=0)
    first_increment = models.PositiveSmallIntegerField(_("first step (s)"), default=1)
    increment = models.PositiveSmallIntegerField(_("then steps of (s)"), default=1)
    forbidden = models.BooleanField(_("forbidden"), default=False)

    class Meta:
        ordering = ["plan", "name"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"],
                                               name="reports_zone_unique")]

    def __str__(self) -> str:
        return self.name


class Prefix(models.Model):
    plan = models.ForeignKey(RatePlan, on_delete=models.CASCADE, related_name="prefixes")
    prefix = models.CharField(_("prefix"), max_length=15)
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="prefixes")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "prefix"],
                                               name="reports_prefix_unique")]

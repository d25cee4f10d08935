"""The statistics (seeds/002 "Statistiques globales", "Statistiques des groupes d'appels"),
read from the per-day totals kept at ingestion (centrex/reports/rollup.py: per day, queue,
hour, outcome, waiting time, agent, department...): a year is a few thousand rows, not
millions of calls. How each figure is defined: docs/statistics.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Q, QuerySet, Sum, Value, When

from centrex.reports.models import (
    AgentDaily,
    AgentEvent,
    CallerDaily,
    CallHourly,
    QueueHourly,
    QueueWaits,
)

BUCKET = 30  # seconds: the width of the service-level and abandon rows
OUTCOMES = ("answered", "abandoned", "dissuaded", "closed")
# Dissuaded after entering the queue (the others were refused at the door, or closed).
ENTERED_AND_SENT_AWAY = ("EXITWITHTIMEOUT", "EXITEMPTY", "EXITWITHKEY")


@dataclass(frozen=True)
class Period:
    since: datetime.date
    until: datetime.date  # included

    def filter(self, rows: QuerySet) -> QuerySet:
        return rows.filter(day__gte=self.since, day__lte=self.until)

    @property
    def start(self) -> datetime.datetime:
        from django.utils import timezone

        return timezone.make_aware(datetime.datetime.combine(self.since, datetime.time()))

    @property
    def end(self) -> datetime.datetime:
        from django.utils import timezone

        return timezone.make_aware(datetime.datetime.combine(
            self.until + datetime.timedelta(days=1), datetime.time()))


@dataclass
class Tally:
    """A count and a total duration (seconds)."""

    calls: int = 0
    seconds: int = 0

    def add(self, calls: int, seconds: int | None) -> None:
        self.calls += calls
        self.seconds += seconds or 0


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# -- global statistics ----------------------------------------------------------------------
def global_calls(department: int | None = None, direction: str = "") -> QuerySet[CallHourly]:
    """The calls the global statistics count: a department's (either side), a type."""
    calls = CallHourly.objects.all()
    if department:
        calls = calls.filter(Q(caller_department_id=department)
                             | Q(callee_department_id=department))
    if direction:
        calls = calls.filter(direction=direction)
    return calls


def per_day(calls: QuerySet[CallHourly], period: Period) -> dict[datetime.date, Tally]:
    rows = period.filter(calls).values("day").annotate(n=Sum("calls"), s=Sum("duration"))
    return {row["day"]: Tally(row["n"], row["s"] or 0) for row in rows.order_by()}


def per_month(days: dict[datetime.date, Tally]) -> dict[tuple[int, int], Tally]:
    months: dict[tuple[int, int], Tally] = defaultdict(Tally)
    for day, tally in days.items():
        months[day.year, day.month].add(tally.calls, tally.seconds)
    return dict(sorted(months.items()))


def per_hour(calls: QuerySet[CallHourly], period: Period) -> list[Tally]:
    """24 tallies, 0 h to 23 h (the seeds' "Tranche horaire")."""
    hours = [Tally() for _ in range(24)]
    rows = period.filter(calls).values("hour").annotate(n=Sum("calls"), s=Sum("duration"))
    for row in rows.order_by():
        hours[row["hour"]].add(row["n"], row["s"])
    return hours


def month_period(year: int, month: int) -> Period:
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return Period(first, following - datetime.timedelta(days=1))


# -- queue statistics -------------------------------------------------------------------------
@dataclass
class Outcomes:
    """One line of "Appels par groupe": received and how they ended."""

    received: int = 0
    answered: int = 0
    abandoned: int = 0
    dissuaded: int = 0
    closed: int = 0

    def add(self, outcome: str, n: int) -> None:
        if outcome in OUTCOMES:
            setattr(self, outcome, getattr(self, outcome) + n)
        self.received += n

    def percent(self, outcome: str) -> float:
        return percent(getattr(self, outcome), self.received)


@dataclass(frozen=True)
class Visits:
    """The queue visits of some queues over a period, as their per-day totals: by hour and
    outcome (``hourly``), by ending and waiting time (``waits``)."""

    hourly: QuerySet[QueueHourly]
    waits: QuerySet[QueueWaits]


def visits(queues: Iterable[str], period: Period) -> Visits:
    names = list(queues)
    return Visits(period.filter(QueueHourly.objects.filter(queue__in=names)),
                  period.filter(QueueWaits.objects.filter(queue__in=names)))


def per_queue(rows: QuerySet[QueueHourly]) -> dict[str, Outcomes]:
    """Received, answered, abandoned, dissuaded, closed per queue (and "" = all)."""
    found: dict[str, Outcomes] = defaultdict(Outcomes)
    for row in rows.values("queue", "outcome").annotate(n=Sum("calls")).order_by():
        found[row["queue"]].add(row["outcome"], row["n"])
        found[""].add(row["outcome"], row["n"])
    return dict(sorted(found.items()))


def distribution(rows: QuerySet[QueueHourly], key: str) -> dict[int, Outcomes]:
    """Outcomes per hour (``key="hour"``) or per weekday (``"weekday"``, 0 = Monday)."""
    found: dict[int, Outcomes] = defaultdict(Outcomes)
    column = "day" if key == "weekday" else "hour"
    for row in rows.values(column, "outcome").annotate(n=Sum("calls")).order_by():
        slot = row["day"].weekday() if key == "weekday" else row["hour"]
        found[slot].add(row["outcome"], row["n"])
    return dict(sorted(found.items()))


@dataclass
class Bucket:
    upto: int  # seconds: waits below this and at least ``upto - BUCKET``
    calls: int
    percent: float
    cumulative: float


def buckets(rows: QuerySet[QueueWaits], outcome: str) -> list[Bucket]:
    """Calls of ``outcome`` by waiting time, in 30 s rows, with % and cumulative %."""
    slots: dict[int, int] = defaultdict(int)
    for wait, n in rows.filter(outcome=outcome).values("wait").annotate(
            n=Sum("calls")).order_by().values_list("wait", "n"):
        slots[wait // BUCKET] += n
    pairs = sorted(slots.items())
    total = sum(n for _slot, n in pairs)
    made, running = [], 0
    for slot, n in pairs:
        running += n
        made.append(Bucket((slot + 1) * BUCKET, n, percent(n, total), percent(running, total)))
    return made


@dataclass
class ServiceLevel:
    queue: str
    threshold: int
    within: int
    counted: int

    @property
    def percent(self) -> float:
        return percent(self.within, self.counted)


def service_levels(rows: QuerySet[QueueWaits], thresholds: dict[str, int],
                   short_abandon: int) -> list[ServiceLevel]:
    """Per queue: answered within its threshold ÷ the visits that entered the queue, short
    abandons left out — docs/statistics.md; the live wallboard computes the same. One
    grouped query for all the queues, each with its threshold."""
    limit = Case(*(When(queue=q, then=Value(t)) for q, t in thresholds.items()),
                 default=Value(-1))
    counts = {row["queue"]: row for row in rows.filter(queue__in=list(thresholds)).values(
        "queue").annotate(
        within=Sum("calls", filter=Q(outcome="answered", wait__lte=limit), default=0),
        counted=Sum("calls", filter=Q(outcome="answered") | Q(outcome="abandoned",
                                                              wait__gte=short_abandon)
                    | Q(reason__in=ENTERED_AND_SENT_AWAY), default=0)).order_by()}
    return [ServiceLevel(queue, threshold, counts.get(queue, {}).get("within", 0),
                         counts.get(queue, {}).get("counted", 0))
            for queue, threshold in sorted(thresholds.items())]


def short_abandons(rows: QuerySet[QueueWaits], short_abandon: int) -> int:
    return rows.filter(outcome="abandoned", wait__lt=short_abandon).aggregate(
        n=Sum("calls", default=0))["n"]


# -- agents ----------------------------------------------------------------------------------
@dataclass
class AgentLine:
    agent: str
    logged_in: int = 0  # seconds
    pauses: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    received: Tally = field(default_factory=Tally)
    made: Tally = field(default_factory=Tally)
    wrapup: int = 0

    @property
    def paused(self) -> int:
        return sum(t.seconds for t in self.pauses.values())

    @property
    def pause_count(self) -> int:
        return sum(t.calls for t in self.pauses.values())

    @property
    def occupancy(self) -> float:
        """(talk + wrap-up) ÷ (logged in - paused), in %."""
        return percent(self.received.seconds + self.made.seconds + self.wrapup,
                       self.logged_in - self.paused)


def _clip(start: float, end: float, low: float, high: float) -> int:
    return max(0, round(min(end, high) - max(start, low)))


def agent_lines(agents: Iterable[str], queues: Iterable[str],
                period: Period) -> dict[str, AgentLine]:
    """Per agent (Centrex user name, as queue_log names them): logged-in time (first
    ADDMEMBER to the last REMOVEMEMBER of any of ``queues``), pauses by reason, queue calls
    received, calls made from their phone, and wrap-up time (the queue's, after each call
    answered, cut short by the next call of the day: ``rollup.agent_rows``)."""
    from centrex.core.models import User

    agents, queues = sorted(set(agents)), set(queues)
    low, high = period.start.timestamp(), period.end.timestamp()
    lines = {agent: AgentLine(agent) for agent in agents}
    events = (AgentEvent.objects.filter(agent__in=agents, at__lt=high)
              .filter(Q(at__gte=low) | Q(event__in=("ADDMEMBER", "PAUSE", "PAUSEALL")))
              .order_by("agent", "at", "pk")
              .values_list("agent", "queue", "event", "at", "reason"))
    sessions: dict[str, dict[str, float]] = defaultdict(dict)  # agent → queue → since
    pauses: dict[str, tuple[float, str]] = {}
    # Rows as the database gives them (plain text and integers): a year is some 300,000
    # events, and the ORM's per-row work was half of this report's time.
    sql, params = events.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for agent, queue, event, now, data in rows:
        line = lines[agent]
        if event == "ADDMEMBER" and queue in queues:
            if not sessions[agent]:
                sessions[agent]["*"] = now
            sessions[agent][queue] = now
        elif event == "REMOVEMEMBER" and queue in queues:
            sessions[agent].pop(queue, None)
            if set(sessions[agent]) == {"*"}:
                line.logged_in += _clip(sessions[agent].pop("*"), now, low, high)
        elif event in ("PAUSE", "PAUSEALL") and agent not in pauses:
            pauses[agent] = (now, data or "")
        elif event in ("UNPAUSE", "UNPAUSEALL") and agent in pauses:
            since, reason = pauses.pop(agent)
            seconds = _clip(since, now, low, high)
            if seconds or since >= low:
                line.pauses[reason].add(1, seconds)
    for agent, open_sessions in sessions.items():  # still logged in: up to now or the end
        if "*" in open_sessions:
            lines[agent].logged_in += _clip(open_sessions["*"], datetime.datetime.now(
                datetime.UTC).timestamp(), low, high)
    answered = (period.filter(AgentDaily.objects.filter(agent__in=agents, queue__in=queues))
                .values("agent").annotate(n=Sum("answered"), talk=Sum("talk"),
                                          wrap=Sum("wrapup")).order_by())
    for row in answered:
        lines[row["agent"]].received.add(row["n"], row["talk"])
        lines[row["agent"]].wrapup += row["wrap"] or 0
    users = dict(User.objects.filter(username__in=agents).values_list("username", "pk"))
    made = (period.filter(CallerDaily.objects.filter(caller_id__in=users.values()))
            .exclude(direction="in").values("caller_id")
            .annotate(n=Sum("calls"), s=Sum("duration")).order_by())
    by_pk = {pk: name for name, pk in users.items()}
    for row in made:
        lines[by_pk[row["caller_id"]]].made.add(row["n"], row["s"])
    return lines

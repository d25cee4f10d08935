"""Pages of the statistics: global (seeds/002 "Statistiques globales") and per queue
("Statistiques des groupes d'appels"). Each page draws tables with a chart above each;
``?export=csv|xlsx&table=<n>`` downloads table *n* as shown. The figures come from
centrex/reports/statistics.py; what they mean is in docs/statistics.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from centrex.contact_center.models import Queue
from centrex.contact_center.scope import supervised_queues
from centrex.reports import statistics as st
from centrex.reports.models import ReportSettings
from centrex.reports.stats_forms import GlobalStatsForm, QueueStatsForm
from centrex.web.access import requires
from centrex.web.lists import export_format, table_response


@dataclass
class Table:
    """One table of a statistics page and the chart drawn from it."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: dict | None = None  # {"labels": [...], "series": [{"label": .., "data": [..]}]}


def hms(seconds: int) -> str:
    """``12 h 5 m 3 s``, as the seeds' tables write durations."""
    return f"{seconds // 3600} h {seconds % 3600 // 60} m {seconds % 60} s"


def mmss(seconds: int) -> str:
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _page(request: HttpRequest, template: str, tables: list[Table], context: dict):
    fmt = export_format(request)
    if fmt:
        try:
            table = tables[int(request.GET.get("table", "0"))]
        except (ValueError, IndexError):
            table = tables[0] if tables else Table("empty", "", [])
        return table_response(table.slug, table.headers,
                              ([str(cell) for cell in row] for row in table.rows), fmt)
    return render(request, template, {"tables": tables, **context})


# -- global ----------------------------------------------------------------------------------
def _tally_table(slug: str, title: str, first: str, labelled: list[tuple[str, st.Tally]],
                 chart_title: str) -> Table:
    return Table(slug, title, [first, _("Calls"), _("Duration")],
                 [[label, t.calls, hms(t.seconds) if t.calls else ""] for label, t in labelled],
                 {"labels": [label for label, _t in labelled],
                  "series": [{"label": chart_title, "data": [t.calls for _l, t in labelled]}]})


def _hour_label(hour: int) -> str:
    return f"{hour} h 00 < {hour + 1} h 00"


@requires("core.view_global_stats")
def global_statistics(request: HttpRequest) -> HttpResponseBase:
    """Calls per month, per hour, per day of a month and per hour of that month."""
    form = GlobalStatsForm(request.GET or None)
    tables: list[Table] = []
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if form.is_bound else form.initial_values()
        calls = st.global_calls(data.get("department") and data["department"].pk,
                                data.get("direction", ""))
        period = st.Period(data["since"], data["until"])
        days = st.per_day(calls, period)
        months = st.per_month(days)
        tables.append(_tally_table(
            "calls-per-month", _("Calls per month"), _("Month"),
            [(f"{year}-{month:02d}", t) for (year, month), t in months.items()],
            _("Calls")))
        tables.append(_tally_table(
            "calls-per-hour", _("Calls per hour of the day"), _("Hours"),
            [(_hour_label(h), t) for h, t in enumerate(st.per_hour(calls, period))],
            _("Calls")))
        year, month = data["month"]
        month_period = st.month_period(year, month)
        month_days = st.per_day(calls, month_period)
        label = formats.date_format(datetime.date(year, month, 1), "F Y")
        tables.append(_tally_table(
            "calls-per-day", _("Calls per day, %(month)s") % {"month": label}, _("Day"),
            [(str(day.day), month_days.get(day, st.Tally()))
             for day in _days(month_period)], _("Calls")))
        tables.append(_tally_table(
            "calls-per-hour-of-month", _("Calls per hour, %(month)s") % {"month": label},
            _("Hours"),
            [(_hour_label(h), t) for h, t in enumerate(st.per_hour(calls, month_period))],
            _("Calls")))
    return _page(request, "reports/statistics.html", tables,
                 {"title": _("Global statistics"), "form": form})


def _days(period: st.Period) -> list[datetime.date]:
    count = (period.until - period.since).days + 1
    return [period.since + datetime.timedelta(days=i) for i in range(count)]


# -- queues ----------------------------------------------------------------------------------
def stat_queues(user):
    """The queues whose statistics ``user`` may read: all with ``core.view_all_stats``
    (``admin``, ``direction``), else those they supervise."""
    if user.has_perm("core.view_all_stats"):
        return Queue.objects.all()
    return supervised_queues(user)


def _outcome_row(label: str, o: st.Outcomes) -> list:
    return [label, o.received, o.answered, o.percent("answered"), o.abandoned,
            o.percent("abandoned"), o.dissuaded, o.percent("dissuaded"), o.closed,
            o.percent("closed")]


def _outcome_headers(first: str) -> list[str]:
    return [first, _("Received"), _("Answered"), "%", _("Abandoned"), "%", _("Dissuaded"),
            "%", _("Closed"), "%"]


def _outcome_chart(labels: list[str], lines: list[st.Outcomes]) -> dict:
    return {"labels": labels, "stacked": True, "series": [
        {"label": name, "data": [getattr(o, key) for o in lines]}
        for key, name in (("answered", _("Answered")), ("abandoned", _("Abandoned")),
                          ("dissuaded", _("Dissuaded")), ("closed", _("Closed")))]}


def _bucket_table(slug: str, title: str, buckets: list[st.Bucket]) -> Table:
    labels = [f"< {mmss(b.upto)}" for b in buckets]
    return Table(slug, title, [_("Waiting time"), _("Calls"), "%", _("Cumulative (%)")],
                 [[label, b.calls, b.percent, b.cumulative] for label, b in zip(
                     labels, buckets, strict=True)],
                 {"labels": labels, "series": [{"label": _("Calls"),
                                                "data": [b.calls for b in buckets]}]})


WEEKDAYS = (_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
            _("Saturday"), _("Sunday"))


def queue_tables(statistic: str, queues: list[Queue], agents: list[str],
                  period: st.Period) -> list[Table]:
    names = [q.name for q in queues]
    rows = st.visits(names, period)
    settings = ReportSettings.get()
    if statistic == "global":
        lines = st.per_queue(rows.hourly)
        labelled = [(q, o) for q, o in lines.items() if q]
        return [Table("received-per-queue", _("Calls received per queue"),
                      [_("Queue"), _("Calls received")],
                      [[q, o.received] for q, o in labelled],
                      {"labels": [q for q, _o in labelled],
                       "series": [{"label": _("Received"),
                                   "data": [o.received for _q, o in labelled]}]})]
    if statistic == "queues":
        lines = st.per_queue(rows.hourly)
        body = [_outcome_row(q, o) for q, o in lines.items() if q]
        total = lines.get("", st.Outcomes())
        labelled = [(q, o) for q, o in lines.items() if q]
        return [Table("calls-per-queue", _("Calls per queue"), _outcome_headers(_("Queue")),
                      [*body, _outcome_row(_("Total"), total)],
                      _outcome_chart([q for q, _o in labelled], [o for _q, o in labelled]))]
    if statistic == "service_level":
        levels = st.service_levels(rows.waits, {q.name: q.service_level for q in queues},
                                   settings.short_abandon)
        return [_bucket_table("service-level", _("Service level: answered calls by waiting "
                                                 "time"), st.buckets(rows.waits, "answered")),
                Table("service-level-per-queue", _("Service level per queue"),
                      [_("Queue"), _("Threshold (s)"), _("Answered within"), _("Counted"),
                       _("Service level (%)")],
                      [[lv.queue, lv.threshold, lv.within, lv.counted, lv.percent]
                       for lv in levels])]
    if statistic == "abandons":
        short = st.short_abandons(rows.waits, settings.short_abandon)
        table = _bucket_table("abandons", _("Abandoned calls by waiting time"),
                              st.buckets(rows.waits, "abandoned"))
        return [table, Table("short-abandons", _("Short abandons"),
                             [_("Waiting less than (s)"), _("Calls")],
                             [[settings.short_abandon, short]])]
    if statistic in ("weekday", "hourly"):
        key = "weekday" if statistic == "weekday" else "hour"
        found = st.distribution(rows.hourly, key)
        slots = range(7) if key == "weekday" else range(24)
        label = (lambda i: str(WEEKDAYS[i])) if key == "weekday" else (lambda i: f"{i} h")
        lines = [found.get(i, st.Outcomes()) for i in slots]
        labels = [label(i) for i in slots]
        title = _("Distribution by weekday") if key == "weekday" else _("Distribution by hour")
        return [Table(f"distribution-{key}", title,
                      _outcome_headers(_("Day") if key == "weekday" else _("Hour")),
                      [_outcome_row(lab, o) for lab, o in zip(labels, lines, strict=True)],
                      _outcome_chart(labels, lines))]
    return [_agents_table(queues, agents, period)]


def _agents_table(queues: list[Queue], agents: list[str], period: st.Period) -> Table:
    lines = st.agent_lines(agents, [q.name for q in queues], period)
    rows = []
    for line in lines.values():
        received, made = line.received, line.made
        rows.append([
            line.agent, hms(line.logged_in), line.pause_count, hms(line.paused),
            ", ".join(f"{reason or _('no reason')}: {t.calls} ({hms(t.seconds)})"
                      for reason, t in sorted(line.pauses.items())),
            received.calls, hms(received.seconds),
            mmss(received.seconds // received.calls) if received.calls else "",
            made.calls, hms(made.seconds), mmss(made.seconds // made.calls) if made.calls else "",
            hms(line.wrapup), line.occupancy])
    names = list(lines)
    return Table("agents", _("Service per agent"), [
        _("Agent"), _("Logged in"), _("Pauses"), _("Paused"), _("Pauses by reason"),
        _("Calls received"), _("Talk time"), _("Average"), _("Calls made"), _("Duration"),
        _("Average"), _("Wrap-up"), _("Occupancy (%)")], rows,
        {"labels": names, "series": [
            {"label": _("Calls received"), "data": [lines[n].received.calls for n in names]},
            {"label": _("Calls made"), "data": [lines[n].made.calls for n in names]}]})


@requires("reports.view_queue_statistics")
def queue_statistics(request: HttpRequest) -> HttpResponseBase:
    """The seeds' four steps: period, queues, agents, statistic; only the queues the user
    may read (supervisors: theirs)."""
    allowed = stat_queues(request.user)
    if not allowed.exists() and not request.user.has_perm("core.view_all_stats"):
        raise PermissionDenied
    form = QueueStatsForm(allowed, request.GET or None)
    tables: list[Table] = []
    if form.is_valid():
        data = form.cleaned_data
        queues = list(data["queues"]) or list(allowed)
        agents = [u.username for u in data["agents"]] or form.agent_names(queues)
        tables = queue_tables(data["statistic"], queues, agents,
                               st.Period(data["since"], data["until"]))
    return _page(request, "reports/statistics.html", tables,
                 {"title": _("Queue statistics"), "form": form,
                  "generated": timezone.localtime()})

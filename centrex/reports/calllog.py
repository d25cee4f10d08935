"""The call log's rules, shared by its page and its API (seeds/002 "Journal des appels").

Who sees which calls: everybody their own (made from or received on their phone);
``core.view_department_calls`` (the ``chef_de_service`` profile) those of their department;
``core.view_all_calls`` (``admin``, ``appels``) all of them. Filters: a number (any part of
the source, destination or answering extension, as shown), the type, the state, days, and a
time of day ± 30 minutes. External numbers may be shown with their last digits masked
(``ReportSettings.mask_digits``), on the page, in exports and in the API alike, and are
then searched on their visible digits only.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Greatest, Length, Substr
from django.utils import timezone

from centrex.reports.models import Call, ReportSettings

TIME_WINDOW = datetime.timedelta(minutes=30)


def visible(user) -> QuerySet[Call]:
    """The calls ``user`` may see."""
    calls = Call.objects.all()
    if user.has_perm("core.view_all_calls"):
        return calls
    mine = Q(caller=user) | Q(callee=user)
    if user.has_perm("core.view_department_calls") and user.department_id:
        mine |= Q(caller_department_id=user.department_id) | Q(
            callee_department_id=user.department_id)
    return calls.filter(mine)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def filter_calls(calls: QuerySet[Call], number: str = "", direction: str = "",
                 state: str = "", since: datetime.date | None = None,
                 until: datetime.date | None = None,
                 time: datetime.time | None = None) -> QuerySet[Call]:
    """The filters of the page and the API (days and time in the site's time zone)."""
    if number:
        calls = _with_number(calls, number, ReportSettings.get().mask_digits)
    if direction:
        calls = calls.filter(direction=direction)
    if state:
        calls = calls.filter(state=state)
    if since:
        calls = calls.filter(start__gte=_day_start(since))
    if until:
        calls = calls.filter(start__lt=_day_start(until + datetime.timedelta(days=1)))
    if time is not None:
        calls = calls.filter(_around(time))
    return calls


def _with_number(calls: QuerySet[Call], number: str, digits: int) -> QuerySet[Call]:
    """Calls with ``number`` in a party's number *as the log shows it*: with masking on, an
    outside number is searched on its visible digits only — searching the full number one
    guess at a time would otherwise reveal the hidden ones."""
    if not digits:
        return calls.filter(Q(source__contains=number) | Q(destination__contains=number)
                            | Q(answered_by__contains=number))

    def shown(field: str, outside: Q) -> Case:
        visible = Substr(field, 1, Greatest(Length(field) - digits, Value(0)))
        return Case(When(outside, then=visible), default=F(field))

    return calls.annotate(
        shown_source=shown("source", Q(direction="in")),
        shown_destination=shown("destination", Q(direction="out")),
        shown_answer=shown("answered_by", Q(direction="out", answered_by=F("destination"))),
    ).filter(Q(shown_source__contains=number) | Q(shown_destination__contains=number)
             | Q(shown_answer__contains=number))


def _around(time: datetime.time) -> Q:
    """Calls started within 30 minutes of ``time`` on any day (across midnight too)."""
    moment = datetime.datetime.combine(datetime.date(2000, 1, 2), time)
    low, high = (moment - TIME_WINDOW), (moment + TIME_WINDOW)
    if low.date() == high.date():
        return Q(start__time__gte=low.time(), start__time__lte=high.time())
    return Q(start__time__gte=low.time()) | Q(start__time__lte=high.time())


def masker(digits: int | None = None):
    """A function that hides the last ``digits`` digits of an external number (the site's
    setting by default); internal numbers (extensions) are left as they are."""
    if digits is None:
        digits = ReportSettings.get().mask_digits

    def mask(number: str, external: bool) -> str:
        if not digits or not external or len(number) <= digits:
            return number if not (digits and external) else "*" * len(number)
        return number[:-digits] + "*" * digits

    return mask


def parties(call: Call, mask) -> tuple[str, str, str]:
    """(source, destination, answered by) as shown: the outside party's number masked as
    set (an outgoing call answered by the network names the number dialled)."""
    return (mask(call.source, call.direction == "in"),
            mask(call.destination, call.direction == "out"),
            mask(call.answered_by, call.direction == "out"
                 and call.answered_by == call.destination))


def duration_text(seconds: int) -> str:
    """``1:02:03``, as the seeds' call log shows durations."""
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

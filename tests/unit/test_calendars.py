"""The calendars without Asterisk: Easter and the French holidays, the weekly slots'
grammar, the opening-hours answer, and the dialplan and AstDB keys (golden file
``tests/golden/calendars_sample.conf``; CENTREX_UPDATE_GOLDEN=1 rewrites it)."""

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.test import override_settings

from centrex.ivr import calendar_confgen, calendars
from centrex.ivr.calendar_forms import parse_slots
from centrex.ivr.models import Closure, Holiday, Incident, Schedule, TimeSlot
from centrex.pbx.confgen import syntax

GOLDEN = Path(__file__).parent.parent / "golden" / "calendars_sample.conf"
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize("year, day", [(2025, dt.date(2025, 4, 20)),
                                       (2026, dt.date(2026, 4, 5)),
                                       (2027, dt.date(2027, 3, 28)),
                                       (2038, dt.date(2038, 4, 25))])
def test_easter(year, day):
    assert calendars.easter(year) == day


def test_french_holidays_of_2026():
    days = {name: (day, yearly) for name, day, yearly in calendars.french_holidays(2026)}
    assert len(days) == 11
    assert days["Lundi de Pâques"] == (dt.date(2026, 4, 6), False)
    assert days["Ascension"] == (dt.date(2026, 5, 14), False)
    assert days["Lundi de Pentecôte"] == (dt.date(2026, 5, 25), False)
    assert days["Fête nationale"] == (dt.date(2026, 7, 14), True)


def test_adding_french_holidays_twice_adds_nothing_more(db, monkeypatch):
    monkeypatch.setattr(calendars, "applied", _no_apply)
    first = calendars.add_french_holidays((2026, 2027))
    assert len(first) == 8 + 3 + 3  # fixed ones once (yearly), movable ones per year
    assert calendars.add_french_holidays((2026, 2027)) == []
    assert calendars.is_holiday(dt.date(2031, 12, 25))  # yearly
    assert not calendars.is_holiday(dt.date(2031, 4, 6))


def _no_apply():
    import contextlib

    return contextlib.nullcontext()


def test_slots_grammar():
    slots = parse_slots(0, "14:00-18:00, 8:30-12:00")
    assert [(s.start, s.end) for s in slots] == [(dt.time(8, 30), dt.time(12)),
                                                (dt.time(14), dt.time(18))]
    assert parse_slots(3, " ") == []
    for bad in ("8h-12h", "12:00-08:00", "08:00-12:00, 11:00-13:00", "24:00-25:00",
                "08:00-12:00]\n[evil"):
        with pytest.raises(forms.ValidationError):
            parse_slots(0, bad)


@pytest.fixture
def sample(db):
    hours = Schedule.objects.create(pk=3, name="Accueil")
    TimeSlot.objects.create(schedule=hours, weekday=0, start=dt.time(8, 30), end=dt.time(12))
    TimeSlot.objects.create(schedule=hours, weekday=0, start=dt.time(14), end=dt.time(18))
    TimeSlot.objects.create(schedule=hours, weekday=5, start=dt.time(9), end=dt.time(23, 59))
    always = Schedule.objects.create(pk=4, name="Astreinte", closed_on_holidays=False)
    Closure.objects.create(reason="Inventaire", schedule=hours,
                           start=dt.datetime(2026, 12, 24, 12, tzinfo=PARIS),
                           end=dt.datetime(2026, 12, 26, 8, tzinfo=PARIS))
    Closure.objects.create(reason="Déménagement", start=dt.datetime(2027, 1, 2, tzinfo=PARIS),
                           end=dt.datetime(2027, 1, 3, tzinfo=PARIS))
    Holiday.objects.create(name="Noël", date=dt.date(2026, 12, 25), yearly=True)
    Holiday.objects.create(name="Ascension", date=dt.date(2026, 5, 14))
    Incident.objects.create(code="PCA", name="Plan de continuité", number=1, active=True)
    Incident.objects.create(code="NET", name="Incident réseau", number=2)
    return hours, always


@override_settings(CENTREX_FEATURE_URL="http://127.0.0.1:8000", TIME_ZONE="Europe/Paris")
def test_golden_dialplan_and_keys(sample):
    text = (calendar_confgen.render() + "\n" + str(calendar_confgen.holiday_keys()) + "\n"
            + str(calendar_confgen.incident_keys()) + "\n")
    if os.environ.get("CENTREX_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    assert "GotoIfTime(08:30-11:59,mon,*,*,Europe/Paris?open)" in text  # end minute counts
    assert "GotoIfTime(09:00-23:59,sat,*,*,Europe/Paris?open)" in text
    assert calendar_confgen.holiday_keys() == {"2026-05-14": "Ascension",
                                               "yearly/12-25": "Noël"}
    assert calendar_confgen.incident_keys() == {"NET": "0", "PCA": "1"}


def test_a_bad_time_zone_never_reaches_the_file(sample):
    with override_settings(TIME_ZONE="Europe/Paris,*,evil"), \
            pytest.raises(syntax.ConfigSyntaxError):
        calendar_confgen.render()


def test_state_follows_the_same_rules_as_the_dialplan(sample):
    hours, always = sample
    monday_morning = dt.datetime(2026, 11, 23, 9, tzinfo=PARIS)
    assert calendars.state(hours, monday_morning) == "open"
    assert calendars.state(hours, monday_morning.replace(hour=12)) == "closed"  # end excluded
    assert calendars.state(hours, dt.datetime(2026, 12, 25, 10, tzinfo=PARIS)) == "closure"
    assert calendars.state(hours, dt.datetime(2027, 12, 25, 10, tzinfo=PARIS)) == "holiday"
    assert calendars.state(always, dt.datetime(2027, 1, 2, 10, tzinfo=PARIS)) == "closure"
    assert calendars.state(always, dt.datetime(2027, 12, 25, 10, tzinfo=PARIS)) == "closed"

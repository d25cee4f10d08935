"""The IVR renderer (centrex/ivr/application_confgen.py): one application using every action
type, against a golden file; the kept revisions; values refused at the last gate.

Set CENTREX_UPDATE_GOLDEN=1 to rewrite the golden file after an intended change."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from centrex.contact_center.models import Queue
from centrex.ivr import application_confgen
from centrex.ivr.application_services import save_scenario
from centrex.ivr.models import (
    Application,
    ApplicationRevision,
    Incident,
    Schedule,
    Sound,
    WebService,
)
from centrex.pbx.confgen import syntax

GOLDEN = Path(__file__).parent.parent / "golden" / "ivr_sample.conf"


@pytest.fixture
def refs(db):
    from centrex.features.models import ConferenceRoom
    from centrex.telephony.models import Phone

    Phone.objects.create(extension="201", name="Alice", sip_username="uivraaaaaaaa",
                         voicemail_pin="1234")
    ConferenceRoom.objects.create(extension="800", name="Room")
    return {
        "welcome": Sound.objects.create(pk=11, name="welcome", ready=True),
        "menu": Sound.objects.create(pk=12, name="menu", ready=True),
        "office": Schedule.objects.create(pk=5, name="office"),
        "pca": Incident.objects.create(pk=7, code="PCA", name="Plan", number=5),
        "crm": WebService.objects.create(pk=3, name="crm", url="https://crm.example/route",
                                         timeout=2),
        "sales": Queue.objects.create(pk=9, name="sales", extension="600"),
    }


def every_action(r: dict) -> dict:
    return {"blocks": [
        {"id": "incoming", "name": "Incoming", "actions": [
            {"type": "test_incident", "incident": r["pca"].pk, "target": "incident"},
            {"type": "test_schedule", "schedule": r["office"].pk, "closed": "closed",
             "holiday": "closed", "closure": "incident"},
            {"type": "test_holiday", "target": "closed"},
            {"type": "play", "sound": r["welcome"].pk, "label": "welcome"},
            {"type": "menu", "sound": r["menu"].pk, "choices": {"1": "to_a", "2": "data",
                                                                "*": "incoming:welcome"},
             "on_timeout": "closed", "on_invalid": "closed", "invalid_sound": r["menu"].pk}]},
        {"id": "to_a", "actions": [{"type": "transfer", "kind": "internal", "number": "201"}]},
        {"id": "data", "actions": [
            {"type": "read", "sound": r["menu"].pk, "variable": "CODE", "max_digits": 4},
            {"type": "set", "variable": "SEEN", "value": "yes please"},
            {"type": "http", "service": r["crm"].pk, "params": ["CODE"], "variable": "ROUTE",
             "fallback": "closed"},
            {"type": "test_variable", "variable": "CODE", "operator": "gt", "value": "100",
             "target": "out"},
            {"type": "test_variable", "variable": "ROUTE", "operator": "filled",
             "target": "room"},
            {"type": "say_digits", "variable": "CODE"},
            {"type": "say_digits", "digits": "12#"},
            {"type": "record", "variable": "MESSAGE", "max_seconds": 30},
            {"type": "trace", "event": "DISSUADED", "queue": r["sales"].pk, "data": "full"},
            {"type": "loop", "target": "data", "times": 2},
            {"type": "voicemail", "mailbox": "201"}]},
        {"id": "out", "actions": [{"type": "transfer", "kind": "external",
                                   "number": "+33155000000"}]},
        {"id": "room", "actions": [{"type": "conference", "room": "800"}]},
        {"id": "closed", "actions": [{"type": "trace", "event": "CLOSED"},
                                     {"type": "goto", "target": "incident"}]},
        {"id": "incident", "actions": [{"type": "play", "sound": r["welcome"].pk}]},
    ]}


def test_every_action_renders_as_the_golden_file(refs):
    app = Application.objects.create(
        name="Standard", number="1301", call_rights="local,international",
        start=datetime(2026, 1, 1, tzinfo=UTC), end=datetime(2027, 1, 1, tzinfo=UTC))
    save_scenario(app, every_action(refs))
    Application.objects.create(name="Off", number="1302", active=False)
    text = application_confgen.render()
    if os.environ.get("CENTREX_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_the_last_revisions_are_kept_and_the_entry_goes_to_the_current_one(refs):
    app = Application.objects.create(name="Revised", number="1303")
    for n in range(5):
        save_scenario(app, {"blocks": [{"id": "incoming", "actions": [
            {"type": "say_digits", "digits": str(n)}]}]})
    app.refresh_from_db()
    assert app.revision == 6  # the first, empty one, then five
    kept = sorted(app.revisions.values_list("revision", flat=True))
    assert kept == [4, 5, 6] and ApplicationRevision.KEEP == 3
    text = application_confgen.render()
    assert f"Goto({application_confgen.context_of(app.pk, 6)},b_incoming,1)" in text
    for revision in (4, 5, 6):
        assert f"[{application_confgen.context_of(app.pk, revision)}]" in text
    assert f"[{application_confgen.context_of(app.pk, 3)}]" not in text


def test_a_value_that_escaped_validation_is_refused_by_the_renderer(refs):
    app = Application.objects.create(name="Bad", number="1304")
    # Written behind the validation's back: the renderer is the last gate.
    app.revisions.update(scenario={"blocks": [{"id": "incoming", "actions": [
        {"type": "set", "variable": "X", "value": "a)\nexten => 1,1,System(x)"}]}]})
    with pytest.raises(syntax.ConfigSyntaxError):
        application_confgen.render()

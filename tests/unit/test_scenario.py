"""Scenario validation (centrex/ivr/scenario.py): what the editor, the API and the import may
save. A Catalog built by hand stands for the database's sounds, schedules..."""

from __future__ import annotations

import copy

import pytest

from centrex.ivr import scenario
from centrex.ivr.scenario import Catalog, ScenarioError

CATALOG = Catalog(sounds={1: "welcome", 2: "closed"}, schedules={5: "office"},
                  incidents={7: "PCA"}, webservices={3: "crm"}, queues={9: "sales"},
                  internal=lambda n: n in {"201", "600"}, voicemail=lambda n: n == "201",
                  conference=lambda n: n == "800")

GOOD = {"blocks": [
    {"id": "incoming", "name": "Incoming", "actions": [
        {"type": "test_incident", "incident": 7, "target": "incident"},
        {"type": "test_schedule", "schedule": 5, "closed": "closed", "holiday": "closed"},
        {"type": "play", "sound": 1, "label": "welcome"},
        {"type": "menu", "sound": 1, "choices": {"1": "to_a", "2": "to_queue"},
         "on_timeout": "closed", "on_invalid": "closed"}]},
    {"id": "to_a", "actions": [{"type": "transfer", "kind": "internal", "number": "201"}]},
    {"id": "to_queue", "actions": [
        {"type": "http", "service": 3, "params": ["CALLER"], "variable": "ANSWER",
         "fallback": "incoming:welcome"},
        {"type": "test_variable", "variable": "ANSWER", "operator": "eq", "value": "vip",
         "target": "to_a"},
        {"type": "trace", "event": "DISSUADED", "queue": 9},
        {"type": "transfer", "kind": "internal", "number": "600"}]},
    {"id": "closed", "actions": [{"type": "play", "sound": 2}, {"type": "hangup"}]},
    {"id": "incident", "actions": [{"type": "play", "sound": 2},
                                   {"type": "loop", "target": "incident", "times": 2},
                                   {"type": "voicemail", "mailbox": "201"}]},
]}


def errors_of(data) -> list[dict]:
    with pytest.raises(ScenarioError) as info:
        scenario.validate(data, CATALOG)
    return info.value.errors


def test_a_good_scenario_is_accepted_with_defaults_filled():
    clean = scenario.validate(copy.deepcopy(GOOD), CATALOG)
    menu = clean["blocks"][0]["actions"][3]
    assert menu["timeout"] == 5 and menu["retries"] == 2
    assert clean["blocks"][1]["name"] == "to_a"  # a block without a name shows its id


def test_a_dangling_jump_names_the_block_action_and_field():
    data = copy.deepcopy(GOOD)
    data["blocks"][0]["actions"][3]["choices"]["3"] = "nowhere"
    [error] = errors_of(data)
    assert (error["block"], error["action"], error["field"]) == ("incoming", 3, "choices")
    assert "nowhere" in error["message"]


def test_an_unknown_label_is_a_dangling_jump():
    data = copy.deepcopy(GOOD)
    data["blocks"][2]["actions"][0]["fallback"] = "incoming:nolabel"
    [error] = errors_of(data)
    assert (error["block"], error["action"], error["field"]) == ("to_queue", 0, "fallback")


def test_an_unreachable_block_is_refused():
    data = copy.deepcopy(GOOD)
    data["blocks"].append({"id": "orphan", "actions": [{"type": "hangup"}]})
    [error] = errors_of(data)
    assert error["block"] == "orphan" and error["action"] is None


def test_every_menu_key_needs_a_target_and_keys_are_digits():
    data = copy.deepcopy(GOOD)
    data["blocks"][0]["actions"][3]["choices"]["1"] = ""
    assert errors_of(data)[0]["field"] == "choices"
    data["blocks"][0]["actions"][3]["choices"] = {"#": "to_a"}
    assert errors_of(data)[0]["field"] == "choices"


def test_missing_start_block_and_duplicate_ids():
    assert "incoming" in errors_of({"blocks": [{"id": "other", "actions": [
        {"type": "hangup"}]}]})[0]["message"]
    data = copy.deepcopy(GOOD)
    data["blocks"].append(copy.deepcopy(data["blocks"][1]))
    assert errors_of(data)[0]["block"] == "to_a"


@pytest.mark.parametrize("field,value", [
    ("sound", 99),             # no such sound
    ("sound", "1"),            # a key is a number
    ("sound", True),
    ("timeout", 0),            # out of range
    ("retries", 9),
    ("bogus", 1),              # unknown field
    ("label", "Bad Label"),
])
def test_bad_fields_are_refused(field, value):
    data = copy.deepcopy(GOOD)
    data["blocks"][0]["actions"][3][field] = value
    assert errors_of(data)[0]["field"] == field


@pytest.mark.parametrize("action", [
    {"type": "set", "variable": "X", "value": "a,b"},         # a comma splits arguments
    {"type": "set", "variable": "X", "value": "${EVIL}"},
    {"type": "set", "variable": "lower", "value": "a"},
    {"type": "set", "variable": "X", "value": "a\nb"},
    {"type": "trace", "event": "closed"},
    {"type": "say_digits", "digits": "12a"},
    {"type": "say_digits"},
    {"type": "transfer", "kind": "internal", "number": "999"},
    {"type": "transfer", "kind": "external", "number": "0155;x"},
    {"type": "voicemail", "mailbox": "600"},
    {"type": "conference", "room": "201"},
    {"type": "test_variable", "variable": "X", "operator": "lt", "value": "abc",
     "target": "closed"},
    {"type": "nosuchaction"},
])
def test_values_that_would_reach_the_dialplan_follow_the_grammar(action):
    data = copy.deepcopy(GOOD)
    data["blocks"][3]["actions"].insert(0, action)
    assert errors_of(data)


def test_export_uses_names_and_import_resolves_them_back():
    exported = scenario.export(copy.deepcopy(GOOD), CATALOG)
    assert exported["blocks"][0]["actions"][0]["incident"] == "PCA"
    assert exported["blocks"][2]["actions"][0]["service"] == "crm"
    assert scenario.resolve(exported, CATALOG) == GOOD


def test_an_import_naming_a_missing_sound_is_refused_on_its_action():
    exported = scenario.export(copy.deepcopy(GOOD), CATALOG)
    exported["blocks"][3]["actions"][0]["sound"] = "not here"
    [error] = errors_of(scenario.resolve(exported, CATALOG))
    assert (error["block"], error["action"], error["field"]) == ("closed", 0, "sound")


def test_the_editor_schema_lists_every_action():
    types = {a["type"] for a in scenario.schema()["actions"]}
    assert types == set(scenario.ACTIONS)


def test_an_action_type_of_the_wrong_json_type_is_an_error_not_a_crash():
    for bad_type in ([1], {"a": 1}, 3, None):
        [error] = errors_of({"blocks": [{"id": "incoming", "actions": [{"type": bad_type}]}]})
        assert (error["block"], error["action"], error["field"]) == ("incoming", 0, "type")

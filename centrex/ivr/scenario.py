"""What a valid application scenario is (docs/applications.md).

A scenario is JSON: ``{"blocks": [{"id", "name", "actions": [{"type", ...}]}]}``. The call
starts at the first action of the block ``incoming`` and runs the actions in order; some
actions jump to a *target*: ``"<block>"`` (its first action) or ``"<block>:<label>"`` (the
action of that block carrying ``"label"``). A block whose last action does not jump ends the
call (hang-up).

``validate`` is the one gate: the editor, the API and the import call it, and only a scenario
it accepts is saved and rendered. Its errors name the block, the action (index from 0) and
the field, so the editor can point at them. References to other objects (sounds, schedules,
incidents, web services, queues) are primary keys; ``export``/``import`` turn them into
names so a scenario can move between systems.

``ACTIONS`` describes every action's fields once: the validation, the editor's forms (served
as JSON by ``schema()``) and the renderer all read it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BLOCK_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,29}")
LABEL_RE = re.compile(r"[a-z][a-z0-9_]{0,19}")
VARIABLE_RE = re.compile(r"[A-Z][A-Z0-9_]{0,19}")
# A literal value compared or set: no character with a meaning in the dialplan.
VALUE_RE = re.compile(r"[A-Za-z0-9 _.+*#@/-]{0,60}")
EVENT_RE = re.compile(r"[A-Z][A-Z0-9_]{0,29}")
DIGITS_RE = re.compile(r"[0-9*#]{1,20}")
EXTERNAL_RE = re.compile(r"\+?[0-9]{2,20}")
MENU_KEYS = "0123456789*"
MAX_BLOCKS = 100
MAX_ACTIONS = 100
START = "incoming"


class ScenarioError(ValueError):
    """The scenario is refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Field:
    """One parameter of an action.

    kinds: ``target`` (a jump), ``targets`` (menu: a key → target map), ``sound``,
    ``schedule``, ``incident``, ``webservice``, ``queue`` (primary keys), ``variable``,
    ``variables`` (a list of variables), ``value``, ``digits``, ``event``, ``internal``
    (a number of the numbering plan), ``external`` (an outside number), ``voicemail``
    (an extension with a voicemail box), ``conference`` (a conference room's number),
    ``int`` (with ``low``/``high``), ``choice`` (one of ``choices``)."""

    name: str
    kind: str
    label: Any
    required: bool = True
    low: int = 0
    high: int = 0
    default: Any = None
    choices: tuple = ()


@dataclass(frozen=True)
class Action:
    type: str
    label: Any
    fields: tuple[Field, ...] = ()
    # Ends the block: nothing after it runs (the editor and the image draw no fall-through).
    final: bool = False
    help: Any = ""


def _f(name: str, kind: str, label: Any, **kw: Any) -> Field:
    return Field(name, kind, label, **kw)


OPERATORS = (("eq", "="), ("ne", "≠"), ("lt", "<"), ("gt", ">"), ("empty", "empty"),
             ("filled", "not empty"))
TRANSFER_KINDS = ("internal", "external")

ACTIONS: dict[str, Action] = {a.type: a for a in (
    Action("play", gettext_lazy("Play a prompt"), (
        _f("sound", "sound", gettext_lazy("prompt")),)),
    Action("menu", gettext_lazy("Menu"), (
        _f("sound", "sound", gettext_lazy("prompt")),
        _f("choices", "targets", gettext_lazy("keys")),
        _f("timeout", "int", gettext_lazy("wait for a key (s)"), low=1, high=30, default=5),
        _f("retries", "int", gettext_lazy("replays"), low=0, high=5, default=2),
        _f("invalid_sound", "sound", gettext_lazy("prompt on a wrong key"), required=False),
        _f("on_timeout", "target", gettext_lazy("no key after the replays")),
        _f("on_invalid", "target", gettext_lazy("wrong key after the replays"))),
        final=True, help=gettext_lazy("Plays the prompt and waits for one key; a wrong key "
                                      "or no key replays it.")),
    Action("read", gettext_lazy("Read digits"), (
        _f("sound", "sound", gettext_lazy("prompt"), required=False),
        _f("variable", "variable", gettext_lazy("into the variable")),
        _f("max_digits", "int", gettext_lazy("at most (digits)"), low=1, high=20, default=4),
        _f("timeout", "int", gettext_lazy("wait (s)"), low=1, high=30, default=5))),
    Action("test_variable", gettext_lazy("Test a variable"), (
        _f("variable", "variable", gettext_lazy("variable")),
        _f("operator", "choice", gettext_lazy("test"), choices=tuple(o for o, _s in OPERATORS),
           default="eq"),
        _f("value", "value", gettext_lazy("value"), required=False, default=""),
        _f("target", "target", gettext_lazy("if true, go to"))),
        help=gettext_lazy("Jumps when the test holds; otherwise the next action runs.")),
    Action("test_schedule", gettext_lazy("Test opening hours"), (
        _f("schedule", "schedule", gettext_lazy("opening hours")),
        _f("closed", "target", gettext_lazy("if closed, go to")),
        _f("holiday", "target", gettext_lazy("on a holiday, go to"), required=False),
        _f("closure", "target", gettext_lazy("on an exceptional closure, go to"),
           required=False)),
        help=gettext_lazy("Open: the next action runs.")),
    Action("test_holiday", gettext_lazy("Test a holiday"), (
        _f("target", "target", gettext_lazy("on a holiday, go to")),)),
    Action("test_incident", gettext_lazy("Test an incident"), (
        _f("incident", "incident", gettext_lazy("incident")),
        _f("target", "target", gettext_lazy("if in progress, go to")))),
    Action("transfer", gettext_lazy("Transfer"), (
        _f("kind", "choice", gettext_lazy("destination"), choices=TRANSFER_KINDS,
           default="internal"),
        _f("number", "number", gettext_lazy("number"))),
        final=True, help=gettext_lazy("To an extension, a ring group, a queue, an application "
                                      "(internal number) or an outside number (the "
                                      "application's call rights apply).")),
    Action("voicemail", gettext_lazy("Voicemail"), (
        _f("mailbox", "voicemail", gettext_lazy("voicemail of the extension")),), final=True),
    Action("conference", gettext_lazy("Conference room"), (
        _f("room", "conference", gettext_lazy("room number")),), final=True),
    Action("hangup", gettext_lazy("Hang up"), (), final=True),
    Action("set", gettext_lazy("Set a variable"), (
        _f("variable", "variable", gettext_lazy("variable")),
        _f("value", "value", gettext_lazy("value"), required=False, default=""))),
    Action("http", gettext_lazy("Call a web service"), (
        _f("service", "webservice", gettext_lazy("web service")),
        _f("params", "variables", gettext_lazy("variables sent"), required=False, default=[]),
        _f("variable", "variable", gettext_lazy("answer into the variable")),
        _f("fallback", "target", gettext_lazy("on error or timeout, go to"))),
        help=gettext_lazy("GET request; the first line of the answer goes into the "
                          "variable.")),
    Action("loop", gettext_lazy("Loop"), (
        _f("target", "target", gettext_lazy("go back to")),
        _f("times", "int", gettext_lazy("times at most"), low=1, high=20, default=3)),
        help=gettext_lazy("Jumps at most that many times in a call, then the next action "
                          "runs.")),
    Action("goto", gettext_lazy("Go to"), (
        _f("target", "target", gettext_lazy("block or label")),), final=True),
    Action("say_digits", gettext_lazy("Say digits"), (
        _f("variable", "variable", gettext_lazy("of the variable"), required=False),
        _f("digits", "digits", gettext_lazy("or these digits"), required=False)),
        help=gettext_lazy("A variable or digits.")),
    Action("record", gettext_lazy("Record a message"), (
        _f("variable", "variable", gettext_lazy("file name into the variable"),
           required=False),
        _f("max_seconds", "int", gettext_lazy("at most (s)"), low=1, high=600, default=60))),
    Action("trace", gettext_lazy("Trace for the statistics"), (
        _f("event", "event", gettext_lazy("event")),
        _f("queue", "queue", gettext_lazy("queue"), required=False),
        _f("data", "value", gettext_lazy("details"), required=False, default="")),
        help=gettext_lazy("Writes an event in queue_log, e.g. CLOSED or DISSUADED.")),
)}


# -- references to other objects --------------------------------------------------------------
@dataclass
class Catalog:
    """The objects a scenario may name, by primary key, with their export names. Built once
    per validation (``Catalog.load()``); tests may build one by hand."""

    sounds: dict[int, str] = field(default_factory=dict)
    schedules: dict[int, str] = field(default_factory=dict)
    incidents: dict[int, str] = field(default_factory=dict)
    webservices: dict[int, str] = field(default_factory=dict)
    queues: dict[int, str] = field(default_factory=dict)
    internal: Callable[[str], bool] = lambda number: False
    voicemail: Callable[[str], bool] = lambda number: False
    conference: Callable[[str], bool] = lambda number: False

    @classmethod
    def load(cls) -> Catalog:
        from centrex.contact_center.models import Queue
        from centrex.ivr.models import Incident, Schedule, Sound, WebService
        from centrex.telephony import numbering
        from centrex.telephony.models import Phone

        def conference(number: str) -> bool:
            from centrex.features.models import ConferenceRoom

            return ConferenceRoom.objects.filter(extension=number).exists()

        return cls(
            sounds=dict(Sound.objects.filter(kind=Sound.PROMPT).values_list("pk", "name")),
            schedules=dict(Schedule.objects.values_list("pk", "name")),
            incidents=dict(Incident.objects.values_list("pk", "code")),
            webservices=dict(WebService.objects.values_list("pk", "name")),
            queues=dict(Queue.objects.values_list("pk", "name")),
            internal=numbering.reachable,
            voicemail=lambda n: Phone.objects.filter(extension=n,
                                                     voicemail_enabled=True).exists(),
            conference=conference,
        )

    def table(self, kind: str) -> dict[int, str]:
        return {"sound": self.sounds, "schedule": self.schedules, "incident": self.incidents,
                "webservice": self.webservices, "queue": self.queues}[kind]


REFERENCE_KINDS = ("sound", "schedule", "incident", "webservice", "queue")


# -- validation ------------------------------------------------------------------------------
class _Checker:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.errors: list[dict] = []

    def error(self, message: str, block: str | None = None, action: int | None = None,
              field_name: str | None = None) -> None:
        self.errors.append({"block": block, "action": action, "field": field_name,
                            "message": message})

    def check(self, data: Any) -> dict:
        if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
            self.error(_("A scenario is an object with a list of blocks."))
            return {}
        blocks = data["blocks"]
        if not blocks or len(blocks) > MAX_BLOCKS:
            self.error(_("A scenario has 1 to %(max)s blocks.") % {"max": MAX_BLOCKS})
            return {}
        clean_blocks, labels = [], {}
        for number, block in enumerate(blocks):
            clean = self._block_shape(block, number)
            if clean is not None:
                if clean["id"] in labels:
                    self.error(_("Two blocks are named “%(id)s”.") % {"id": clean["id"]},
                               clean["id"])
                    continue
                labels[clean["id"]] = {a["label"] for a in clean["actions"] if a.get("label")}
                clean_blocks.append(clean)
        if self.errors:
            return {}
        if START not in labels:
            self.error(_("The scenario needs the block “%(id)s”, where calls start.")
                       % {"id": START})
            return {}
        for block in clean_blocks:
            for index, action in enumerate(block["actions"]):
                self._action(block["id"], index, action, labels)
        if not self.errors:
            self._reachability(clean_blocks)
        return {"blocks": clean_blocks}

    def _block_shape(self, block: Any, number: int) -> dict | None:
        if not isinstance(block, dict):
            self.error(_("Block %(n)s is not an object.") % {"n": number + 1})
            return None
        bid = block.get("id")
        if not isinstance(bid, str) or not BLOCK_ID_RE.fullmatch(bid):
            self.error(_("Block %(n)s: an identifier is lowercase letters, digits and _, "
                         "starting with a letter (up to 30).") % {"n": number + 1},
                       bid if isinstance(bid, str) else None, None, "id")
            return None
        name = block.get("name") or bid
        if not isinstance(name, str) or len(name) > 60 or not name.isprintable():
            self.error(_("The block's name is up to 60 printable characters."), bid, None,
                       "name")
            return None
        actions = block.get("actions")
        if not isinstance(actions, list) or not actions or len(actions) > MAX_ACTIONS:
            self.error(_("A block has 1 to %(max)s actions.") % {"max": MAX_ACTIONS}, bid)
            return None
        seen_labels: set[str] = set()
        for index, action in enumerate(actions):
            if not isinstance(action, dict) or not isinstance(action.get("type"), str) \
                    or action["type"] not in ACTIONS:
                self.error(_("Unknown action."), bid, index, "type")
                return None
            label = action.get("label")
            if label not in (None, ""):
                if not isinstance(label, str) or not LABEL_RE.fullmatch(label):
                    self.error(_("A label is lowercase letters, digits and _, starting with "
                                 "a letter (up to 20)."), bid, index, "label")
                elif label in seen_labels:
                    self.error(_("Two actions of this block carry the label “%(label)s”.")
                               % {"label": label}, bid, index, "label")
                seen_labels.add(label if isinstance(label, str) else "")
        return {"id": bid, "name": name, "actions": actions}

    def _target(self, value: Any, labels: dict[str, set[str]]) -> str | None:
        """None when ``value`` names an existing block (and label); else the message."""
        if not isinstance(value, str) or not value:
            return _("Choose where to go.")
        bid, _sep, label = value.partition(":")
        if bid not in labels:
            return _("There is no block “%(id)s”.") % {"id": bid}
        if label and label not in labels[bid]:
            return _("The block “%(id)s” has no label “%(label)s”.") % {"id": bid,
                                                                        "label": label}
        return None

    def _action(self, bid: str, index: int, action: dict, labels: dict[str, set[str]]) -> None:
        spec = ACTIONS[action["type"]]
        known = {f.name for f in spec.fields} | {"type", "label", "comment"}
        for name in sorted(set(action) - known):
            self.error(_("Unknown field “%(field)s”.") % {"field": name}, bid, index, name)
        for f in spec.fields:
            value = action.get(f.name)
            if value in (None, "", [], {}):
                if f.required and f.kind != "int":
                    self.error(_("This field is required."), bid, index, f.name)
                elif f.kind == "int":
                    action[f.name] = f.default
                continue
            message = self._value(f, value, labels)
            if message:
                self.error(message, bid, index, f.name)
        comment = action.get("comment")
        if comment is not None and (not isinstance(comment, str) or len(comment) > 200):
            self.error(_("A comment is up to 200 characters."), bid, index, "comment")
        if spec.type == "say_digits" and not (action.get("variable") or action.get("digits")):
            self.error(_("Give a variable or digits."), bid, index, "variable")
        if spec.type == "test_variable" and action.get("operator") in ("lt", "gt") and not \
                re.fullmatch(r"[0-9]{1,15}", str(action.get("value", ""))):
            self.error(_("Comparing needs a whole number."), bid, index, "value")
        if spec.type == "transfer":
            self._transfer(bid, index, action)

    def _transfer(self, bid: str, index: int, action: dict) -> None:
        number = action.get("number")
        if not isinstance(number, str):
            return
        if action.get("kind", "internal") == "external":
            if not EXTERNAL_RE.fullmatch(number):
                self.error(_("An outside number is 2 to 20 digits with an optional +."), bid,
                           index, "number")
        elif not self.catalog.internal(number):
            self.error(_("No phone, ring group, queue, application or conference room has "
                         "the number %(number)s.") % {"number": number}, bid, index, "number")

    def _value(self, f: Field, value: Any, labels: dict[str, set[str]]) -> str | None:
        kind = f.kind
        if kind == "target":
            return self._target(value, labels)
        if kind == "targets":
            if not isinstance(value, dict) or not value:
                return _("Give at least one key with its target.")
            for key, target in value.items():
                if key not in MENU_KEYS or len(key) != 1:
                    return _("A key is a digit or *, not “%(key)s”.") % {"key": key}
                problem = self._target(target, labels)
                if problem:
                    return _("Key %(key)s: %(problem)s") % {"key": key, "problem": problem}
            return None
        if kind in REFERENCE_KINDS:
            if not isinstance(value, int) or isinstance(value, bool) or \
                    value not in self.catalog.table(kind):
                return _("This choice does not exist (any more).")
            return None
        if kind == "int":
            if not isinstance(value, int) or isinstance(value, bool) or \
                    not f.low <= value <= f.high:
                return _("A whole number from %(low)s to %(high)s.") % {"low": f.low,
                                                                      "high": f.high}
            return None
        if kind == "choice":
            return None if value in f.choices else _("Not one of the choices.")
        if kind == "variables":
            if not isinstance(value, list) or len(value) > 10 or any(
                    not isinstance(v, str) or not VARIABLE_RE.fullmatch(v) for v in value):
                return _("Up to 10 variable names.")
            return None
        checks = {
            "variable": (VARIABLE_RE, _("A variable is capital letters, digits and _, "
                                        "starting with a letter (up to 20).")),
            "value": (VALUE_RE, _("Up to 60 letters, digits, spaces and _ . + * # @ / -.")),
            "digits": (DIGITS_RE, _("Digits, * and # only.")),
            "event": (EVENT_RE, _("Capital letters, digits and _, starting with a letter.")),
            "number": (EXTERNAL_RE, _("A number is digits with an optional +.")),
        }
        if kind in checks:
            regex, message = checks[kind]
            return None if isinstance(value, str) and regex.fullmatch(value) else message
        if kind == "voicemail":
            ok = isinstance(value, str) and self.catalog.voicemail(value)
            return None if ok else _("No phone with this extension has a voicemail box.")
        if kind == "conference":
            ok = isinstance(value, str) and self.catalog.conference(value)
            return None if ok else _("No conference room has this number.")
        return _("Unknown field.")

    def _reachability(self, blocks: list[dict]) -> None:
        by_id = {b["id"]: b for b in blocks}
        seen, todo = {START}, [START]
        while todo:
            for target in targets_of_block(by_id[todo.pop()]):
                bid = target.partition(":")[0]
                if bid not in seen:
                    seen.add(bid)
                    todo.append(bid)
        for block in blocks:
            if block["id"] not in seen:
                self.error(_("No action leads to the block “%(name)s”.")
                           % {"name": block["name"]}, block["id"])


def targets_of_action(action: dict) -> list[str]:
    """Every target an action may jump to (menus: one per key, then timeout and invalid)."""
    spec = ACTIONS[action["type"]]
    found = []
    for f in spec.fields:
        value = action.get(f.name)
        if f.kind == "target" and value:
            found.append(value)
        elif f.kind == "targets" and isinstance(value, dict):
            found += [value[k] for k in sorted(value)]
    return found


def targets_of_block(block: dict) -> list[str]:
    return [t for action in block["actions"] for t in targets_of_action(action)]


def validate(data: Any, catalog: Catalog | None = None) -> dict:
    """The scenario, normalised (defaults filled), or ScenarioError listing every problem."""
    checker = _Checker(catalog if catalog is not None else Catalog.load())
    clean = checker.check(data)
    if checker.errors:
        raise ScenarioError(checker.errors)
    return clean


# -- export / import ---------------------------------------------------------------------------
def _map_references(data: dict, convert: Callable[[str, Any], Any]) -> dict:
    blocks = []
    for block in data["blocks"]:
        actions = []
        for action in block["actions"]:
            action = dict(action)
            for f in ACTIONS[action["type"]].fields:
                if f.kind in REFERENCE_KINDS and action.get(f.name) not in (None, ""):
                    action[f.name] = convert(f.kind, action[f.name])
            actions.append(action)
        blocks.append({**block, "actions": actions})
    return {"blocks": blocks}


def export(data: dict, catalog: Catalog | None = None) -> dict:
    """The scenario with names instead of primary keys (sounds, schedules...)."""
    catalog = catalog if catalog is not None else Catalog.load()
    return _map_references(data, lambda kind, pk: catalog.table(kind).get(pk, pk))


def resolve(data: Any, catalog: Catalog | None = None) -> Any:
    """An exported scenario with this system's primary keys; names not found are left as
    they are, so ``validate`` reports them on their block and action."""
    catalog = catalog if catalog is not None else Catalog.load()
    if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
        return data

    def convert(kind: str, name: Any) -> Any:
        by_name = {v: k for k, v in catalog.table(kind).items()}
        return by_name.get(name, name)

    try:
        return _map_references(data, convert)
    except (KeyError, TypeError, AttributeError):
        return data


def schema() -> dict:
    """The actions and their fields, for the editor's forms (labels translated)."""
    return {"start": START, "menu_keys": MENU_KEYS, "operators": [
        {"value": v, "label": str(label)} for v, label in OPERATORS],
        "actions": [{
            "type": a.type, "label": str(a.label), "final": a.final, "help": str(a.help),
            "fields": [{"name": f.name, "kind": f.kind, "label": str(f.label),
                        "required": f.required, "low": f.low, "high": f.high,
                        "default": f.default, "choices": list(f.choices)}
                       for f in a.fields]} for a in ACTIONS.values()]}

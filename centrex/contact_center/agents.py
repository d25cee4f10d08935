"""Agents and pauses: who takes a queue's calls, on which phone, paused or not and why.

The ``Agent`` rows are the truth; Asterisk's queue members are made to match them. Every
change here is one step: the row changes inside a transaction, the matching AMI actions
(QueueAdd / QueueRemove / QueuePause / QueuePenalty) run before the commit, and if Asterisk
refuses or cannot be reached the transaction rolls back, the AMI actions already done are
undone, and ``AgentError`` says why (translated).

What each change should do in Asterisk is computed the same way for a single change and for
a full resynchronisation (``reconcile``): the wanted members (from the rows) are compared
with what Asterisk reports (QueueStatus), and only the differences are sent (``plan``).
``reconcile`` runs after every AMI (re)connection (``events.on_connect``) and after each
reload of the queues (the queues' verifier), so a restart of Asterisk or a reload never
loses who is logged in or paused, nor why.

Pauses Asterisk makes by itself (``autopause`` after a missed call, reason ``Auto-Pause``)
are recorded in the rows from the ``QueueMemberPause`` event, under a pause reason of that
name that agents are not offered (created on first use), so the next reconcile keeps them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centrex.contact_center import scope
from centrex.contact_center.models import Agent, PauseReason, Queue
from centrex.core import audit
from centrex.telephony.models import Phone

log = logging.getLogger("centrex.contact_center.agents")

# The reason app_queue gives to the pauses it makes itself (queues.conf autopause).
AUTOPAUSE_REASON = "Auto-Pause"
MAX_PENALTY = 99
_HEADER_SAFE = re.compile(r"[\r\n]")


class AgentError(Exception):
    """A change refused (by the rules or by Asterisk); the message is for the person."""

    def __init__(self, message: str, unavailable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        # Asterisk could not be asked (not a refusal of the change itself): the API says 503.
        self.unavailable = unavailable


# -- what a member should look like --------------------------------------------------------------
@dataclass(frozen=True)
class Member:
    """One queue member, as wanted (from a row) or as Asterisk reports it."""

    penalty: int
    paused: bool
    reason: str
    name: str


Key = tuple[str, str]  # (queue name, interface)
Action = tuple[str, dict[str, str]]  # (AMI action, headers)


def _member_of(agent: Agent) -> Member:
    reason = agent.pause_reason.name if agent.paused and agent.pause_reason else ""
    return Member(int(agent.penalty), bool(agent.paused), reason, agent.user.get_username())


def wanted(agents: Iterable[Agent]) -> dict[Key, Member]:
    """The members these rows ask for: logged in with a phone."""
    return {(a.queue.name, a.interface): _member_of(a)
            for a in agents if a.logged_in and a.phone_id}


def _agent_rows():
    return Agent.objects.select_related("queue", "user", "phone", "pause_reason")


def wanted_members() -> tuple[set[str], dict[Key, Member]]:
    """(every queue name Centrex owns, the wanted members of all queues)."""
    return (set(Queue.objects.values_list("name", flat=True)),
            wanted(_agent_rows().filter(logged_in=True, phone__isnull=False)))


def parse_status(events) -> tuple[set[str], dict[Key, Member]]:
    """QueueStatus events → (queues Asterisk runs, their members)."""
    queues, members = set(), {}
    for e in events:
        if e.name == "QueueParams":
            queues.add(e.get("Queue"))
        elif e.name == "QueueMember":
            interface = e.get("Location") or e.get("Interface") or ""
            members[(e.get("Queue"), interface)] = Member(
                int(e.get("Penalty") or 0), e.get("Paused") == "1",
                e.get("PausedReason") or "", e.get("Name") or e.get("MemberName") or "")
    return queues, members


def _pause(queue: str, interface: str, paused: bool, reason: str) -> Action:
    headers = {"Queue": queue, "Interface": interface, "Paused": "true" if paused else "false"}
    if paused and reason:
        headers["Reason"] = _HEADER_SAFE.sub(" ", reason)
    return ("QueuePause", headers)


def plan(want: dict[Key, Member], have: dict[Key, Member], queues: set[str]) -> list[Action]:
    """The AMI actions that turn ``have`` into ``want``, for the queues in ``queues`` (those
    both Centrex and Asterisk know). Removals first: a phone change frees nothing twice."""
    actions: list[Action] = []
    for key in sorted(set(have) - set(want)):
        if key[0] in queues:
            actions.append(("QueueRemove", {"Queue": key[0], "Interface": key[1]}))
    for key in sorted(want):
        queue, interface = key
        if queue not in queues:
            continue
        new, old = want[key], have.get(key)
        if old is None:
            actions.append(("QueueAdd", {
                "Queue": queue, "Interface": interface, "Penalty": str(new.penalty),
                "Paused": "true" if new.paused else "false", "MemberName": new.name,
                "StateInterface": interface}))
            if new.paused:
                actions.append(_pause(queue, interface, True, new.reason))
            continue
        if old.penalty != new.penalty:
            actions.append(("QueuePenalty", {"Queue": queue, "Interface": interface,
                                             "Penalty": str(new.penalty)}))
        if old.paused != new.paused or (new.paused and old.reason != new.reason):
            actions.append(_pause(queue, interface, new.paused, new.reason))
    return actions


# -- talking to Asterisk --------------------------------------------------------------------------
def _client():
    from centrex.pbx.ami import AMIClient
    from centrex.pbx.connection import target

    return AMIClient(**{**target().ami, "timeout": 5.0}, keepalive=0, reconnect=False)


async def _status(ami, queues: Iterable[str] | None = None) -> tuple[set[str], dict]:
    if queues is None:
        _, events = await ami.action_list("QueueStatus")
        return parse_status(events)
    running, members = set(), {}
    for queue in sorted(set(queues)):
        _, events = await ami.action_list("QueueStatus", Queue=queue)
        got_queues, got_members = parse_status(events)
        running |= got_queues & {queue}
        members.update({k: v for k, v in got_members.items() if k[0] == queue})
    return running, members


async def _send(ami, action: Action) -> None:
    """One action; a member already there (or already gone) is what we wanted."""
    from centrex.pbx.ami import AMIError

    name, headers = action
    try:
        await ami.action(name, headers)
    except AMIError as exc:
        text = (exc.message or "").lower()
        if name == "QueueAdd" and "already there" in text:
            return
        if name == "QueueRemove" and "not there" in text:
            return
        raise


def _errors():
    from centrex.pbx.ami import AMIError
    from centrex.pbx.connection import NotConfigured

    return (AMIError, OSError, TimeoutError, NotConfigured)


async def _change(want: dict[Key, Member], keys: set[Key], queue_names: set[str]) -> None:
    """Make the members ``keys`` of ``queue_names`` look like ``want`` (missing keys: not
    members); on failure undo what was done and raise AgentError."""
    ami = _client()
    try:
        await ami.connect()
    except _errors() as exc:
        raise AgentError(_("Asterisk cannot be reached: %(error)s") % {"error": exc},
                         unavailable=True) from exc
    try:
        running, members = await _status(ami, queue_names)
        missing = sorted(queue_names - running)
        if missing:
            raise AgentError(_("Asterisk does not run the queue %(queue)s yet; apply the "
                               "configuration first.") % {"queue": ", ".join(missing)})
        have = {k: v for k, v in members.items() if k in keys}
        actions = plan({k: v for k, v in want.items() if k in keys}, have, running)
        done: list[Action] = []
        try:
            for action in actions:
                await _send(ami, action)
                done.append(action)
        except _errors() as exc:
            if done:  # put back what this change already did
                touched = {(h["Queue"], h["Interface"]) for _n, h in done}
                _running, now = await _status(ami, {q for q, _i in touched})
                for undo in plan({k: v for k, v in have.items() if k in touched},
                                 {k: v for k, v in now.items() if k in touched}, running):
                    with contextlib.suppress(*_errors()):
                        await _send(ami, undo)
            raise AgentError(_("Asterisk refused the change: %(error)s") % {
                "error": getattr(exc, "message", None) or exc}) from exc
    except _errors() as exc:
        raise AgentError(_("Asterisk cannot be reached: %(error)s") % {"error": exc},
                         unavailable=True) from exc
    finally:
        await ami.close()


def _apply(agents: list[Agent], before: list[Key]) -> None:
    """Asterisk follows the (saved, not yet committed) rows ``agents``; ``before`` are the
    members they had, so a phone change removes the old one."""
    want = wanted(agents)
    keys = set(want) | set(before)
    if keys:
        asyncio.run(_change(want, keys, {q for q, _i in keys}))


@contextlib.contextmanager
def _acting(by) -> Iterator[None]:
    """The journal names ``by`` when nothing else (a page, the API, a phone) said who acts."""
    if by is not None and getattr(audit.current_actor().user, "pk", None) is None \
            and not audit.current_actor().name:
        with audit.acting("system", user=by):
            yield
    else:
        yield


def _journal(action: str, agent: Agent, changes: dict) -> None:
    audit.record(action, agent, changes, object_repr=f"{agent.user.get_username()} "
                                                    f"@ {agent.queue.name}")


def _key(agent: Agent) -> list[Key]:
    return [(agent.queue.name, agent.interface)] if agent.logged_in and agent.phone_id else []


# -- the services ---------------------------------------------------------------------------------
def may_act(by, user, queue: Queue) -> bool:
    """An agent acts for themselves; a supervisor of the queue (or an administrator) for
    its agents."""
    return by is None or by.pk == user.pk or scope.may_supervise(by, queue)


def _check_actor(by, user, queue: Queue) -> None:
    if not may_act(by, user, queue):
        raise AgentError(_("You do not supervise the queue %(queue)s.") % {"queue": queue.name})


def own_phones(user) -> list[Phone]:
    return list(Phone.objects.filter(user=user, hotdesk=False).order_by("extension"))


def _check_penalty(penalty) -> int:
    try:
        value = int(penalty)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= MAX_PENALTY:
        raise AgentError(_("A penalty is a whole number from 0 to %(max)s.") % {
            "max": MAX_PENALTY})
    return value


def login(user, queue: Queue, phone: Phone | None = None, penalty: int | None = None,
          by=None) -> Agent:
    """Log ``user`` in to ``queue`` on ``phone`` (default: the phone they used last, else
    their first phone). Logging in again changes the phone or the penalty; a pause stays."""
    _check_actor(by, user, queue)
    if not scope.may_work(user, queue):
        raise AgentError(_("%(user)s is not an agent of the queue %(queue)s.") % {
            "user": user.get_username(), "queue": queue.name})
    if phone is not None and phone.user_id != user.pk:
        raise AgentError(_("The phone %(phone)s is not %(user)s's.") % {
            "phone": phone.extension, "user": user.get_username()})
    with _acting(by), transaction.atomic():
        agent = Agent.objects.select_for_update(of=("self",)).filter(queue=queue, user=user).first()
        if agent is None:
            agent = Agent(queue=queue, user=user)
        before = _key(agent)
        old = {"logged_in": agent.logged_in, "phone": agent.phone.extension
               if agent.phone_id else None, "penalty": agent.penalty}
        if phone is None:
            phone = agent.phone if agent.phone_id and agent.phone.user_id == user.pk else None
            phone = phone or next(iter(own_phones(user)), None)
        if phone is None:
            raise AgentError(_("%(user)s has no phone to take the calls on.") % {
                "user": user.get_username()})
        if penalty is not None:
            agent.penalty = _check_penalty(penalty)
        if not agent.logged_in:
            agent.logged_in_at = timezone.now()
            agent.paused, agent.pause_reason, agent.paused_at = False, None, None
        agent.phone, agent.logged_in = phone, True
        agent.save()
        _apply([agent], before)
        new = {"logged_in": True, "phone": phone.extension, "penalty": agent.penalty}
        _journal("agent_login", agent, {k: [old[k], new[k]] for k in new if old[k] != new[k]})
    return agent


def logout(user, queue: Queue, by=None) -> None:
    """Log ``user`` out of ``queue`` (nothing to do when they are not logged in). Their
    penalty and phone are kept for the next login."""
    _check_actor(by, user, queue)
    with _acting(by), transaction.atomic():
        agent = Agent.objects.select_for_update(of=("self",)).filter(
            queue=queue, user=user, logged_in=True).select_related("phone", "queue").first()
        if agent is None:
            return
        before = _key(agent)
        agent.logged_in, agent.logged_in_at = False, None
        agent.paused, agent.pause_reason, agent.paused_at = False, None, None
        agent.save()
        _apply([agent], before)
        _journal("agent_logout", agent, {"logged_in": [True, False]})


def _logged_in(user, queue: Queue | None) -> list[Agent]:
    rows = _agent_rows().select_for_update(of=("self",)).filter(user=user, logged_in=True)
    if queue is not None:
        rows = rows.filter(queue=queue)
    agents = list(rows)
    if not agents:
        raise AgentError(_("%(user)s is not logged in to %(where)s.") % {
            "user": user.get_username(),
            "where": queue.name if queue is not None else _("any queue")})
    return agents


def pause(user, reason: PauseReason | None = None, queue: Queue | None = None,
          by=None) -> list[Agent]:
    """Pause ``user`` in ``queue`` (None: every queue they are logged in to), with a reason
    from the list agents are offered (its name is the QueuePause reason)."""
    if reason is not None and not reason.active:
        raise AgentError(_("The pause reason %(reason)s is not offered.") % {
            "reason": reason.name})
    with _acting(by), transaction.atomic():
        agents = _logged_in(user, queue)
        for agent in agents:
            _check_actor(by, user, agent.queue)
        before = [k for a in agents for k in _key(a)]
        now = timezone.now()
        for agent in agents:
            was = (agent.paused, agent.pause_reason.name if agent.pause_reason else None)
            agent.paused, agent.pause_reason, agent.paused_at = True, reason, now
            agent.save(update_fields=["paused", "pause_reason", "paused_at"])
            _journal("agent_pause", agent, {"paused": [was[0], True],
                                            "pause_reason": [was[1], str(reason or "")]})
        _apply(agents, before)
    return agents


def resume(user, queue: Queue | None = None, by=None) -> list[Agent]:
    """End ``user``'s pause in ``queue`` (None: everywhere)."""
    with _acting(by), transaction.atomic():
        agents = [a for a in _logged_in(user, queue) if a.paused]
        for agent in agents:
            _check_actor(by, user, agent.queue)
        before = [k for a in agents for k in _key(a)]
        for agent in agents:
            reason = agent.pause_reason.name if agent.pause_reason else ""
            agent.paused, agent.pause_reason, agent.paused_at = False, None, None
            agent.save(update_fields=["paused", "pause_reason", "paused_at"])
            _journal("agent_resume", agent, {"paused": [True, False],
                                             "pause_reason": [reason, ""]})
        _apply(agents, before)
    return agents


def set_penalty(agent: Agent, penalty: int, by=None) -> Agent:
    """Change an agent's penalty in their queue (at once in Asterisk when logged in)."""
    _check_actor(by, agent.user, agent.queue)
    value = _check_penalty(penalty)
    with _acting(by), transaction.atomic():
        agent = _agent_rows().select_for_update(of=("self",)).get(pk=agent.pk)
        old = agent.penalty
        agent.penalty = value
        agent.save(update_fields=["penalty"])
        _apply([agent], _key(agent))
        _journal("agent_penalty", agent, {"penalty": [old, value]})
    return agent


# -- resynchronisation ----------------------------------------------------------------------------
def _snapshot() -> tuple[set[str], dict[Key, Member]]:
    try:
        return wanted_members()
    finally:
        connection.close()


async def reconcile(ami) -> dict:
    """Make Asterisk's members match the rows: add, remove, pause with the reason, penalty.
    Idempotent. Returns {"actions": n, "errors": [...]}; failures are logged, not raised
    (one queue's trouble must not stop the others)."""
    # The rows are read in a thread of their own: this runs in an event loop (the apply's,
    # the listener's), where Django refuses the ORM. That thread sees committed rows only.
    queues, want = await asyncio.to_thread(_snapshot)
    running, have = await _status(ami)
    errors = []
    actions = plan(want, {k: v for k, v in have.items() if k[0] in queues}, running & queues)
    for action in actions:
        try:
            await _send(ami, action)
        except _errors() as exc:
            errors.append(f"{action[0]} {action[1].get('Queue')} "
                          f"{action[1].get('Interface')}: {exc}")
    for error in errors:
        log.warning("agents reconcile: %s", error)
    if actions:
        log.info("agents reconcile: %d action(s), %d error(s)", len(actions), len(errors))
    return {"actions": len(actions), "errors": errors}


def reconcile_now() -> dict | None:
    """``reconcile`` from plain code (after an AMI reconnection, after a commit)."""

    async def run() -> dict:
        ami = _client()
        await ami.connect()
        try:
            # Right after a restart AMI answers before every module is loaded: queues that
            # app_queue has not read yet would be skipped.
            with contextlib.suppress(*_errors()):
                await ami.command("core waitfullybooted", timeout=30)
            return await reconcile(ami)
        finally:
            await ami.close()

    try:
        return asyncio.run(run())
    except _errors() as exc:
        log.warning("agents reconcile: Asterisk cannot be reached: %s", exc)
        return None


# -- pauses Asterisk makes itself -----------------------------------------------------------------
def _reason_named(name: str) -> PauseReason | None:
    """The pause reason of that name, created (not offered to agents) when unknown."""
    found = PauseReason.objects.filter(name=name).first()
    if found is not None or not name:
        return found
    used = set(PauseReason.objects.values_list("code", flat=True))
    code = next((c for c in (f"{n:02d}" for n in range(99, -1, -1)) if c not in used), None)
    if code is None:
        return None
    reason = PauseReason(name=name[:40], code=code, active=False)
    try:
        reason.full_clean()
    except Exception:  # a name outside the safe grammar: keep the pause, without a reason
        return None
    reason.save()
    return reason


def on_member_pause(message) -> None:
    """QueueMemberPause: record a pause Asterisk made by itself (autopause after a missed
    call), so the next reconcile keeps it. Pauses with an offered reason's name or none
    are Centrex's own (the rows already say so); unpauses made behind Centrex's back are
    not taken: the rows stay the truth."""
    if message.get("Paused") != "1":
        return
    reason_name = message.get("PausedReason") or message.get("Reason") or ""
    if not reason_name or PauseReason.objects.filter(name=reason_name, active=True).exists():
        return
    interface = message.get("Interface") or message.get("Location") or ""
    if not interface.startswith("PJSIP/"):
        return
    with transaction.atomic():
        agent = _agent_rows().select_for_update(of=("self",)).filter(
            queue__name=message.get("Queue"), logged_in=True,
            phone__sip_username=interface.removeprefix("PJSIP/")).first()
        if agent is None or (agent.paused and agent.pause_reason
                             and agent.pause_reason.name == reason_name):
            return
        reason = _reason_named(reason_name)
        with audit.acting("system", name=f"Asterisk ({reason_name})"):
            was = agent.paused
            agent.paused, agent.pause_reason, agent.paused_at = True, reason, timezone.now()
            agent.save(update_fields=["paused", "pause_reason", "paused_at"])
            _journal("agent_pause", agent, {"paused": [was, True],
                                            "pause_reason": [None, reason_name]})


def install() -> None:
    """AppConfig.ready: resynchronise after each AMI (re)connection, record autopauses."""
    from centrex.pbx import events

    events.on_connect(reconcile_now)
    events.subscribe("QueueMemberPause", on_member_pause)


# -- from the phone: *45 / #45 / *46 / #46 --------------------------------------------------------
CHANNEL_RE = re.compile(r"PJSIP/([A-Za-z0-9]{1,32})-[0-9a-f]{8}")
REQUEST_RE = re.compile(r"(login|logout)=([0-9]{0,10})|(pause)=([0-9]{0,2})|(resume)=")


def _code(user, phone: Phone, what: str, value: str) -> None:
    """Run one agent code for ``user`` dialled on ``phone``; AgentError when refused."""
    if what == "login":
        queues = ([q for q in [Queue.objects.filter(extension=value).first()] if q]
                  if value else list(scope.agent_queues(user)))
        if not queues:
            raise AgentError(_("No queue to log in to."))
        for queue in queues:
            login(user, queue, phone=phone, by=user)
    elif what == "logout":
        rows = Agent.objects.filter(user=user, logged_in=True).select_related("queue")
        if value:
            rows = rows.filter(queue__extension=value)
        queues = [a.queue for a in rows]
        if not queues:
            raise AgentError(_("Not logged in there."))
        for queue in queues:
            logout(user, queue, by=user)
    elif what == "pause":
        reason = None
        if value:
            reason = PauseReason.objects.filter(code=value, active=True).first()
            if reason is None:
                raise AgentError(_("No pause reason has the code %(code)s.") % {"code": value})
        pause(user, reason, by=user)
    else:
        resume(user, by=user)


def from_phone(channel: str) -> str:
    """An agent code dialled on a phone: ``ok`` or ``refused``.

    The request (``CENTREX_AGENT``, set by the dialplan from the digits) is read from the
    live channel and the phone from the channel's endpoint (named by Asterisk after
    authentication), never from the HTTP request. The phone's user is the agent."""
    from centrex.pbx.ami.sync import channel_vars
    from centrex.pbx.connection import target

    match = CHANNEL_RE.fullmatch(channel)
    if match is None:
        return "refused"
    try:
        request = channel_vars(target().ami, channel, ("CENTREX_AGENT",))["CENTREX_AGENT"]
    except _errors() as exc:
        log.warning("agent code: cannot read channel %s: %s", channel, exc)
        return "refused"
    wanted_code = REQUEST_RE.fullmatch(request)
    phone = Phone.objects.select_related("user").filter(sip_username=match.group(1)).first()
    if wanted_code is None or phone is None or phone.user is None:
        log.warning("agent code: nothing to do on %s (%r)", channel, request)
        return "refused"
    what = wanted_code.group(1) or wanted_code.group(3) or "resume"
    value = wanted_code.group(2) or wanted_code.group(4) or ""
    try:
        with audit.acting("system", user=phone.user,
                          name=f"phone {phone.extension} (agent code)"):
            _code(phone.user, phone, what, value)
    except AgentError as exc:
        log.info("agent code %s=%s refused on %s: %s", what, value, phone.extension,
                 exc.message)
        return "refused"
    return "ok"

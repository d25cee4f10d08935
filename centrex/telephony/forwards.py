"""Forwards and do-not-disturb: the rules that need more than one phone, or the actor.

The model checks each destination's grammar and the phone's own rules (no voicemail to
forward to, a forward to itself). Here, with the whole numbering plan and the person making
the change in view:

- an internal destination must be the extension of an existing phone;
- anything else is an external number: it needs the ``renvoi_externe`` profile
  (``core.forward_external``) *and* the forwarded phone's call rights must allow that
  number (``centrex.rights``; the dialplan checks them again on every forwarded call);
- a forward must not close a loop (201 → 202 → 201), whatever its kind: every chain of
  forwards must end on a phone or a voicemail. The dialplan also counts hops (a guard in
  case the database were changed behind Centrex's back).

Changes go through ``update_forwards`` (one transaction with the apply, like every phone
change): the dialplan line of the phone changes and is patched into Asterisk without a
reload.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from centrex.telephony import numbering
from centrex.telephony.models import FORWARD_FIELDS, VOICEMAIL, Phone

log = logging.getLogger("centrex.telephony.forwards")
EDITABLE = ("dnd", *FORWARD_FIELDS, "forward_no_answer_delay")
# Hops a call may make through forwards in the dialplan before they are ignored.
MAX_HOPS = 5


def may_edit(actor, phone: Phone) -> bool:
    """A person sets the forwards of their own phones; an administrator (who may change
    phones) those of every phone in their scope."""
    return phone.user_id == actor.pk or actor.has_perm("telephony.change_phone")


def _graph(phone: Phone) -> dict[str, set[str]]:
    """Extension → the extensions its forwards go to, with ``phone``'s unsaved values."""
    graph: dict[str, set[str]] = {}
    rows = Phone.objects.exclude(pk=phone.pk).values_list("extension", *FORWARD_FIELDS)
    for extension, *targets in rows:
        graph[extension] = {t for t in targets if t and t != VOICEMAIL}
    graph[phone.extension] = {
        getattr(phone, f) for f in FORWARD_FIELDS if getattr(phone, f) not in ("", VOICEMAIL)}
    return graph


def find_loop(phone: Phone) -> list[str] | None:
    """The extensions of a loop through ``phone``'s forwards, or None (depth-first, without
    recursion: a chain may be as long as the numbering plan)."""
    graph = _graph(phone)
    start = phone.extension
    seen: set[str] = set()
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph.get(node, ()), reverse=True):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def drop_forwards_to(extension: str, keep: Phone | None = None) -> None:
    """Switch off the forwards that go to ``extension`` (a phone deleted or renumbered),
    one save each so the journal records them; the caller applies."""
    for field in FORWARD_FIELDS:
        for other in Phone.objects.filter(**{field: extension}):
            if keep is None or other.pk != keep.pk:
                setattr(other, field, "")
                other.save(update_fields=[field, "updated"])


def check(phone: Phone, actor) -> None:
    """Every rule of a phone's forwards, as a ValidationError by field."""
    errors: dict[str, list[str]] = {}
    try:
        phone.full_clean(exclude=["user"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    targets = {f: getattr(phone, f) for f in FORWARD_FIELDS if f not in errors}
    numbers = {v for v in targets.values() if v and v != VOICEMAIL}
    # Internal numbers: phones, ring groups, conference rooms (answered in centrex-internal).
    known = {n for n in numbers if numbering.reachable(n)}
    for name, value in targets.items():
        if not value or value == VOICEMAIL or value in known:
            continue
        if not actor.has_perm("core.forward_external"):
            errors[name] = [_(
                "“%(number)s” is not an extension of this PBX. Forwarding to an external "
                "number needs the “External forwards” profile.") % {"number": value}]
        else:
            from centrex.rights.services import forward_refusal

            refusal = forward_refusal(phone, value)
            if refusal:
                errors[name] = [refusal]
    if not errors:
        loop = find_loop(phone)
        if loop:
            errors["__all__"] = [_(
                "These forwards would make a loop that never rings anyone: %(loop)s.")
                % {"loop": " → ".join(loop)}]
    if errors:
        raise ValidationError(errors)


def update_forwards(phone: Phone, values: Mapping[str, object], actor) -> Phone:
    """Set a phone's forwards (only the keys given), check them and apply (one
    transaction: if Asterisk refuses, nothing is saved)."""
    from centrex.telephony.services import applied

    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not forward fields: {sorted(unknown)}")
    with applied():
        # Lock the phones so two changes at once cannot each miss the other's half of a loop.
        list(Phone.objects.select_for_update().values_list("pk", flat=True))
        for name, value in values.items():
            setattr(phone, name, value.strip() if isinstance(value, str) else value)
        check(phone, actor)
        phone.save(update_fields=[*values, "updated"])
    return phone


# -- from the phone: forward codes (*21*<ext>, #21, *78...) ---------------------------------
CHANNEL_RE = re.compile(r"PJSIP/[A-Za-z0-9]{1,32}-[0-9a-f]{8}")
FEATURE_RE = re.compile(r"(dnd)=([01])|(forward_always|forward_busy|forward_no_answer)="
                        r"([0-9]{2,20}|voicemail|)")


def from_phone(channel: str) -> str:
    """Save the forward a phone asked for by dialling a code; ``ok`` or ``refused``.

    The request (``CENTREX_FEATURE``, set by the dialplan from the digits dialled) and the
    phone (``CENTREX_EXTEN``, set by Asterisk on the authenticated endpoint) are read from
    the live channel, never from the HTTP request. The change is made as the phone's user,
    with the same checks as the portal, and journaled.
    """
    from centrex.core import audit
    from centrex.pbx.ami import AMIError
    from centrex.pbx.ami.sync import channel_vars
    from centrex.pbx.connection import NotConfigured, target
    from centrex.telephony.services import APPLY_ERRORS

    if not CHANNEL_RE.fullmatch(channel):
        return "refused"
    try:
        found = channel_vars(target().ami, channel, ("CENTREX_EXTEN", "CENTREX_FEATURE"))
    except (AMIError, OSError, TimeoutError, NotConfigured) as exc:
        log.warning("forward code: cannot read channel %s: %s", channel, exc)
        return "refused"
    match = FEATURE_RE.fullmatch(found["CENTREX_FEATURE"])
    phone = Phone.objects.select_related("user").filter(
        extension=found["CENTREX_EXTEN"]).first()
    if match is None or phone is None:
        log.warning("forward code: nothing to do on %s (%s)", channel, found)
        return "refused"
    if match.group(1):
        values: dict[str, object] = {"dnd": match.group(2) == "1"}
    else:
        values = {match.group(3): match.group(4)}
    actor = phone.user or AnonymousUser()
    try:
        with audit.acting("system", user=phone.user,
                          name=f"phone {phone.extension} (forward code)"):
            update_forwards(phone, values, actor)
    except ValidationError as exc:
        log.info("forward code refused for %s: %s", phone.extension, exc.messages)
        return "refused"
    except APPLY_ERRORS as exc:
        log.error("forward code for %s not applied: %s", phone.extension, exc)
        return "refused"
    return "ok"


"""Hot-desk logins and conference rooms, shared by the pages, the API and the phones.

Every change runs inside ``applied()``: the database (the truth) and Asterisk (AstDB keys
of the free-seating context, the one ``centrex-internal`` line of the extension whose
calls move) change together, or not at all.
"""

from __future__ import annotations

import hmac
import logging
import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from centrex.core import audit, roles
from centrex.features.models import ConferenceRoom, HotdeskLogin
from centrex.telephony.models import Phone
from centrex.telephony.services import APPLY_ERRORS, applied

log = logging.getLogger("centrex.features")

# A free-seating phone that gets this many wrong PINs in FAILURE_WINDOW seconds is refused
# every login until the window ends (a PIN has only 4 to 8 digits).
MAX_FAILURES = 5
FAILURE_WINDOW = 900


# -- hot desking -----------------------------------------------------------------------------
def login(desk: Phone, line: Phone) -> HotdeskLogin:
    """Seat ``line``'s extension at ``desk``: replaces whoever sat there, and moves the
    person if they were logged in at another free-seating phone."""
    with applied():
        HotdeskLogin.objects.filter(desk=desk).delete()
        HotdeskLogin.objects.filter(line=line).delete()
        seat = HotdeskLogin(desk=desk, line=line)
        seat.full_clean()
        seat.save()
        audit.record("hotdesk_login", line, object_repr=f"{line.extension} → {desk.extension}")
    return seat


def logout(seat: HotdeskLogin) -> None:
    with applied():
        audit.record("hotdesk_logout", seat.line,
                     object_repr=f"{seat.line.extension} ← {seat.desk.extension}")
        seat.delete()


def logins_visible(user) -> QuerySet:
    """An administrator sees the logins of the phones in scope; anybody sees their own."""
    qs = HotdeskLogin.objects.select_related("desk", "line__user")
    if user.has_perm("features.view_hotdesklogin"):
        return qs.filter(line__in=roles.phones_in_scope(user, Phone.objects.all())) | \
            qs.filter(line__user=user)
    return qs.filter(line__user=user)


def may_logout(user, seat: HotdeskLogin) -> bool:
    return seat.line.user_id == user.pk or user.has_perm("features.delete_hotdesklogin")


CHANNEL_RE = re.compile(r"PJSIP/([A-Za-z0-9]{1,32})-[0-9a-f]{8}")
REQUEST_RE = re.compile(r"login=([0-9]{2,10}):([0-9]{0,8})|logout=")


def _failures_key(desk: Phone) -> str:
    return f"centrex-hotdesk-failures-{desk.pk}"


def from_phone(channel: str) -> str:
    """A login or logout code dialled on a free-seating phone: ``ok`` or ``refused``.

    The request (``CENTREX_HOTDESK``, set by the dialplan) is read from the live channel,
    and the phone from the channel's endpoint (named by Asterisk), never from the HTTP
    request. The PIN is checked against the database."""
    from centrex.pbx.ami import AMIError
    from centrex.pbx.ami.sync import channel_vars
    from centrex.pbx.connection import NotConfigured, target

    match = CHANNEL_RE.fullmatch(channel)
    if match is None:
        return "refused"
    try:
        request = channel_vars(target().ami, channel, ("CENTREX_HOTDESK",))["CENTREX_HOTDESK"]
    except (AMIError, OSError, TimeoutError, NotConfigured) as exc:
        log.warning("hot-desk code: cannot read channel %s: %s", channel, exc)
        return "refused"
    wanted = REQUEST_RE.fullmatch(request)
    desk = Phone.objects.filter(sip_username=match.group(1), hotdesk=True).first()
    if wanted is None or desk is None:
        log.warning("hot-desk code: nothing to do on %s (%r)", channel, request)
        return "refused"
    try:
        if wanted.group(1) is None:
            seat = HotdeskLogin.objects.filter(desk=desk).first()
            if seat is not None:
                with audit.acting("system", name=f"phone {desk.extension} (logout code)"):
                    logout(seat)
            return "ok"
        failures = cache.get(_failures_key(desk), 0)
        line = Phone.objects.filter(extension=wanted.group(1), hotdesk=False).first()
        if failures >= MAX_FAILURES or line is None or not line.voicemail_pin or \
                not hmac.compare_digest(line.voicemail_pin, wanted.group(2)):
            cache.set(_failures_key(desk), failures + 1, FAILURE_WINDOW)
            log.info("hot-desk login refused on %s for %s", desk.extension, wanted.group(1))
            return "refused"
        cache.delete(_failures_key(desk))
        with audit.acting("system", user=line.user,
                          name=f"phone {desk.extension} (login code)"):
            login(desk, line)
    except ValidationError as exc:
        log.info("hot-desk code refused on %s: %s", desk.extension, exc.messages)
        return "refused"
    except APPLY_ERRORS as exc:
        log.error("hot-desk code on %s not applied: %s", desk.extension, exc)
        return "refused"
    return "ok"


# -- conference rooms ------------------------------------------------------------------------
def save_room(room: ConferenceRoom) -> ConferenceRoom:
    with applied():
        room.full_clean()
        room.save()
    return room


def delete_room(room: ConferenceRoom) -> None:
    with applied():
        room.delete()

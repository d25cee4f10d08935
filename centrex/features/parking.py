"""Call parking: Asterisk's parking lot (res_parking) seen from Centrex.

The lot itself is ``[default]`` of res_parking.conf, a stock file that belongs to the
administrator (park extension 700, spaces 701-720). ``CENTREX_PARKING`` in the settings
tells Centrex the same numbers: the dialplan of this app parks on the extension and
retrieves from each space, and the numbering plan keeps them for parking. Change both
together.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from centrex.telephony import numbering

DEFAULTS = {"LOT": "default", "EXTENSION": "700", "FIRST_SLOT": 701, "LAST_SLOT": 720}


def config() -> dict:
    return {**DEFAULTS, **getattr(settings, "CENTREX_PARKING", {})}


def extension() -> str:
    return str(config()["EXTENSION"])


def slots() -> list[str]:
    conf = config()
    return [str(n) for n in range(int(conf["FIRST_SLOT"]), int(conf["LAST_SLOT"]) + 1)]


def numbers() -> list[str]:
    return [extension(), *slots()]


numbering.register_reserved(_("call parking"), numbers)


@dataclass
class ParkedCall:
    slot: str
    caller_number: str
    caller_name: str
    parker: str
    seconds: int
    timeout: int


async def _ask() -> list[ParkedCall]:
    from centrex.pbx.ami import AMIClient
    from centrex.pbx.connection import target

    ami = AMIClient(**{**target().ami, "timeout": 3.0}, keepalive=0, reconnect=False)
    await ami.connect()
    try:
        _, events = await ami.action_list("ParkedCalls")
    finally:
        await ami.close()
    found = []
    for e in events:
        if e.name != "ParkedCall":
            continue
        found.append(ParkedCall(
            slot=e.get("ParkingSpace", ""), caller_number=e.get("ParkeeCallerIDNum", ""),
            caller_name=e.get("ParkeeCallerIDName", ""),
            parker=e.get("ParkerDialString", ""),
            seconds=int(e.get("ParkingDuration", "0") or 0),
            timeout=int(e.get("ParkingTimeout", "0") or 0)))
    return sorted(found, key=lambda c: c.slot)


def parked_calls() -> list[ParkedCall]:
    """The calls parked now (AMI ``ParkedCalls``); raises when Asterisk cannot be asked."""
    return asyncio.run(_ask())

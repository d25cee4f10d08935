"""The PBX services together, with real calls: what each app's own tests cannot show alone.

An idle free-seating phone still reaches an emergency number through a trunk (features +
rights + routing); a forward to a ring group rings its members (telephony + groups); an
inbound number answers with a conference room (routing + features). Extensions 3600-3699,
numbers 01550036xx.
"""

from __future__ import annotations

import pytest

from centrex.features import services as features
from centrex.features.models import ConferenceRoom
from centrex.groups import services as groups
from centrex.groups.models import RingGroup
from centrex.routing import services as routing
from centrex.routing.models import InboundNumber
from centrex.telephony.forwards import update_forwards
from tests.integration.test_calls import asterisk_log_tail, new_line
from tests.integration.test_features import desk_line
from tests.integration.test_forwards import admin
from tests.integration.test_rights import allowed_call, operator, trunk_for
from tests.integration.test_routing import operator_trunk
from tests.sipp import free_udp_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_an_idle_free_seating_phone_reaches_an_emergency_number(asterisk, sip, rtp):
    port = free_udp_port()
    trunk_for("services-3601", port, "112")
    desk = desk_line("3601", "Desk Emergency")  # nobody logged in
    op = operator(sip, port)
    allowed_call(sip, desk, "112", rtp, op, asterisk)


def test_a_forward_to_a_ring_group_rings_its_members(asterisk, sip, rtp):
    caller = new_line("3611", "Carl Groupfwd")
    absent = new_line("3612", "Abel Absent")  # never registered
    member = new_line("3613", "Mona Member")
    groups.save_ring_group(RingGroup(extension="3619", name="Forward group",
                                     strategy=RingGroup.RING_ALL, timeout=20), ["3613"])
    update_forwards(absent.phone, {"forward_always": "3619"}, admin())

    callee = sip.callee(member.user, member.password, "uas_answer", ring_ms=300)
    call = sip.caller(caller.user, caller.password, absent.extension, media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok(f"caller{asterisk_log_tail(asterisk)}")
    result = callee.wait()
    result.assert_ok("ring group member")
    assert result.has_log("ANSWERED"), result.describe()


def test_an_inbound_number_answers_with_a_conference_room(asterisk, sip, rtp):
    port = free_udp_port()
    operator_trunk("op-3620", port)
    features.save_room(ConferenceRoom(extension="3620", name="Dial-in room"))
    routing.save_inbound_number(InboundNumber(number="0155003620", target="3620"))
    call = sip.sipp("routing_operator_call", local_port=port, hold_ms=1500, timeout=20,
                    variables={"from": "0612003620", "dest": "0155003620", "mport": rtp.port})
    call.run().assert_ok(f"operator call into the room{asterisk_log_tail(asterisk)}")

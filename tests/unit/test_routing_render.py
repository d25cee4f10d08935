"""The routing renderers on a small sample (golden files tests/golden/routing_sample_*):
trunks of both kinds, routes with strip/prepend and failover, inbound numbers, caller IDs
and caller names. CENTREX_UPDATE_GOLDEN=1 rewrites them."""

import os
from pathlib import Path

import pytest

from centrex.core.models import Department, User
from centrex.directory.models import Contact
from centrex.pbx.confgen import syntax
from centrex.routing import confgen
from centrex.routing.models import ADDRESS, InboundNumber, Route, RouteTrunk, Trunk
from centrex.telephony.models import Phone

GOLDEN = Path(__file__).parent.parent / "golden"


@pytest.fixture
def sample(db):
    sales = Department.objects.create(name="Sales", outbound_caller_id="0155000100")
    alice = User.objects.create(username="alice", first_name="Alice", last_name="Martin",
                                department=sales, outbound_caller_id="0155000201")
    bob = User.objects.create(username="bob", first_name="Bob", last_name="Durand",
                              department=sales)
    Phone.objects.create(extension="201", name="Alice Martin", sip_username="uaaaaaaaaaaa",
                         user=alice)
    Phone.objects.create(extension="202", name="Bob Durand", sip_username="ubbbbbbbbbbb",
                         user=bob, voicemail_enabled=True)
    Phone.objects.create(extension="203", name="Nobody", sip_username="uccccccccccc")
    main = Trunk.objects.create(name="operator-a", host="sip.example.net", username="acme",
                                password="p4ss-word", codecs="g722,alaw", max_channels=10,
                                default_caller_id="0155000000")
    backup = Trunk.objects.create(name="operator-b", host="192.0.2.10", port=5070,
                                  transport="tcp", auth_mode=ADDRESS,
                                  match="192.0.2.10,192.0.2.0/28")
    national = Route.objects.create(name="National", pattern="0Z.", strip=1, prepend="+33")
    Route.objects.create(name="Emergency", pattern="11[2-5]")
    for position, trunk in enumerate((main, backup)):
        RouteTrunk.objects.create(route=national, trunk=trunk, position=position)
    RouteTrunk.objects.create(route=Route.objects.get(name="Emergency"), trunk=main)
    InboundNumber.objects.create(number="0155000201", target="201")
    InboundNumber.objects.create(number="+33155000202", destination="voicemail", target="202")
    Contact.objects.create(first_name="Carla", last_name="Client", number1="+33612345678")
    Contact.objects.create(first_name="Hidden", last_name="Private", number1="0699999999",
                           private=True)


@pytest.mark.parametrize("name,render", [
    ("trunks", confgen.render_trunks), ("dialplan", confgen.render_dialplan),
    ("callerid", lambda: str(sorted(confgen.callerid_keys().items()))),
    ("callernames", lambda: str(sorted(confgen.callername_keys().items()))),
])
def test_golden(sample, name, render):
    text = render()
    path = GOLDEN / f"routing_sample_{name}.txt"
    if os.environ.get("CENTREX_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_caller_ids_and_names(sample):
    assert confgen.callerid_keys() == {"201": "0155000201", "202": "0155000100"}
    names = confgen.callername_keys()
    assert names["+33612345678"] == names["0033612345678"] == "Carla Client"
    assert names["0155000201"] == "Alice Martin"
    assert "0699999999" not in names  # private contacts stay private


def test_a_bad_pattern_never_reaches_the_file(sample):
    Route.objects.filter(name="National").update(pattern="0Z.,1,System(x)")
    with pytest.raises(syntax.ConfigSyntaxError):
        confgen.render_dialplan()


def test_patterns_and_secrets_are_validated(db):
    from django.core.exceptions import ValidationError

    for bad in ("0Z.;x", "0[", "X..", "0Z.)", ""):
        with pytest.raises(ValidationError):
            Route(name="R", pattern=bad).full_clean(exclude=["trunks"])
    with pytest.raises(ValidationError):
        Trunk(name="t", host="h", username="u", password="semi;colon").full_clean()
    with pytest.raises(ValidationError):
        Trunk(name="t", host="h", auth_mode="registration").full_clean()

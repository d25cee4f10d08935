"""Per-phone data the dialplan reads: call rights in AstDB, call and pickup groups on the
endpoint, and one numbering plan for every kind of internal number. Against the session's
real Asterisk (extensions 2900 to 2919)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from centrex.telephony import numbering
from centrex.telephony.models import Phone, PickupGroup
from centrex.telephony.services import delete_phone, update_phone
from tests.integration.test_calls import new_line

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def db_get(asterisk, key: str) -> str:
    """``database get`` through the CLI: the value, or "" when the key does not exist."""
    family, _, name = key.rpartition("/")
    out = asterisk.cli(f"database get {family} {name}")
    return out.split("Value:", 1)[1].strip() if "Value:" in out else ""


def endpoint_detail(asterisk, endpoint: str) -> str:
    return asterisk.cli(f"pjsip show endpoint {endpoint}")


def test_rights_reach_astdb_and_follow_changes(asterisk):
    line = new_line("2901", "Rita Rights")
    assert db_get(asterisk, "centrex-phone/rights/2901") == "internal,local,mobile"
    phone = line.phone
    phone.right_international = True
    phone.right_mobile = False
    update_phone(phone)
    assert db_get(asterisk, "centrex-phone/rights/2901") == "internal,local,international"
    delete_phone(phone)
    assert db_get(asterisk, "centrex-phone/rights/2901") == ""


def test_groups_are_set_on_the_endpoint(asterisk):
    line = new_line("2902", "Gus Groups")
    PickupGroup.objects.filter(number__in=[3, 7]).update(name="Accueil")
    update_phone(line.phone, groups={"call_groups": [3, 7], "pickup_groups": [7]})
    detail = endpoint_detail(asterisk, line.phone.sip_username)
    assert "call_group                         : 3, 7" in detail, detail
    assert "pickup_group                       : 7" in detail, detail
    with pytest.raises(ValidationError):
        update_phone(line.phone, groups={"call_groups": [64]})
    assert sorted(g.number for g in Phone.objects.get(pk=line.phone.pk).call_groups.all()) \
        == [3, 7]


def test_numbering_names_the_kind_that_holds_a_number():
    Phone.objects.create(extension="2910", name="Nora Number", sip_ha1="0" * 32)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        numbering.check_free("2910", exclude=PickupGroup(number=1))
    assert caught.value.message_dict["extension"] == ["This number is already used by a phone."]
    numbering.check_free("2911")  # free
    # A phone itself is left to its unique constraint (one message, on the field).
    twin = Phone(extension="2910", name="Twin", sip_ha1="0" * 32)
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            twin.full_clean()
        assert caught.value.message_dict["extension"] == ["This extension is already used."]


def test_phone_form_sets_rights_and_named_groups(asterisk):
    from django.urls import reverse

    from tests.factories import client_for, make_user

    web = client_for(make_user("rights-boss", profile="admin"))
    PickupGroup.ensure_all()
    PickupGroup.objects.filter(number=5).update(name="PMI")
    form = web.get(reverse("phone-create")).context["form"]
    assert [g.number for g in form.fields["pickup_groups"].queryset] == [5]  # named only
    assert form["right_local"].initial and not form["right_international"].initial
    group = PickupGroup.objects.get(number=5)
    response = web.post(reverse("phone-create"), {
        "extension": "2905", "name": "Fran Form", "ring_timeout": 20,
        "right_internal": "on", "right_international": "on",
        "call_groups": [group.pk], "pickup_groups": [group.pk]})
    assert response.status_code == 200, response.content
    phone = Phone.objects.get(extension="2905")
    assert phone.rights == ["internal", "international"]
    assert [g.number for g in phone.pickup_groups.all()] == [5]
    assert db_get(asterisk, "centrex-phone/rights/2905") == "internal,international"
    with translation.override("en"):
        page = web.get(reverse("phone-detail", args=[phone.pk]),
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "5 PMI" in page

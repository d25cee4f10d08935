"""The configuration pipeline against the real managed Asterisk."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest
from django.core.exceptions import ValidationError

from centrex.pbx import apply as pbx_apply
from centrex.pbx import autoapply, confgen
from centrex.pbx.ami.sync import run_action, run_action_list
from centrex.pbx.apply import ApplyError, apply
from centrex.pbx.confgen.syntax import ConfigSyntaxError
from centrex.telephony.models import Phone
from centrex.telephony.services import create_phone_with_user
from tests.integration.helpers import centrex, snapshot

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def endpoint_exists(asterisk, name: str) -> bool:
    try:
        run_action_list(asterisk.ami, "PJSIPShowEndpoint", Endpoint=name)
    except Exception:
        return False
    return True


def test_bad_data_is_refused_and_leaves_every_file_unchanged(asterisk):
    create_phone_with_user("210", "Alice Martin")
    before = snapshot(asterisk.etc_dir)

    with pytest.raises(ValidationError) as bad_ext:
        create_phone_with_user("12a;Hangup", "Mallory")
    assert "extension" in bad_ext.value.message_dict
    with pytest.raises(ValidationError) as bad_name:
        create_phone_with_user("211", "Mallory\n[evil]")
    assert "name" in bad_name.value.message_dict
    with pytest.raises(ValidationError) as duplicate:
        create_phone_with_user("210", "Bob Durand")
    assert "extension" in duplicate.value.message_dict

    assert snapshot(asterisk.etc_dir) == before
    assert Phone.objects.count() == 1


def test_cli_refuses_bad_data_with_a_clear_message(asterisk):
    create_phone_with_user("215", "Alice Martin")
    before = snapshot(asterisk.etc_dir)
    cases = [
        (["--extension", "12a;Hangup", "--name", "Mallory"], "extension"),
        (["--extension", "216", "--name", "Mallory\nHangup"], "name"),
        (["--extension", "215", "--name", "Bob Durand"], "extension"),
    ]
    for args, field in cases:
        proc = centrex("phone", "create", *args, "--json")
        assert proc.returncode == 2, proc.stderr
        assert proc.stdout == ""
        assert f"{field}:" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert snapshot(asterisk.etc_dir) == before


def test_a_value_that_bypassed_validation_never_reaches_a_file(asterisk):
    phone, _ = create_phone_with_user("220", "Alice Martin")
    before = snapshot(asterisk.etc_dir)
    # A direct database write skips model validation: the renderer is the last gate.
    Phone.objects.filter(pk=phone.pk).update(name="Evil\n[centrex-internal]")
    with pytest.raises(ConfigSyntaxError):
        apply()
    assert snapshot(asterisk.etc_dir) == before


def test_cli_creates_a_phone_and_asterisk_has_it(asterisk):
    proc = centrex("phone", "create", "--extension", "230", "--name", "Chloé Petit", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) >= {"extension", "sip_username", "sip_password", "sip_host", "sip_port"}
    assert data["extension"] == "230"
    assert data["sip_username"] != "230"
    assert len(data["sip_password"]) >= 20
    assert (data["sip_host"], data["sip_port"]) == ("127.0.0.1", asterisk.sip_port)
    assert endpoint_exists(asterisk, data["sip_username"])
    # Only the digest hash is kept, never the password.
    assert data["sip_password"] not in (asterisk.etc_dir / "centrex_pjsip_astdb.conf").read_text()
    phone = Phone.objects.get(extension="230")
    assert data["sip_password"] not in str(Phone.objects.filter(pk=phone.pk).values().get())
    assert phone.user.first_name == "Chloé" and phone.user.last_name == "Petit"


def test_dry_run_prints_the_diff_and_changes_nothing(asterisk):
    apply()
    phone, _ = create_phone_with_user("240", "Denis Roux", apply_now=False)
    before = snapshot(asterisk.etc_dir)
    proc = centrex("apply", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert f"+[{phone.sip_username}]" in proc.stdout
    assert "+exten => 240,1,Gosub" in proc.stdout
    assert snapshot(asterisk.etc_dir) == before
    assert not endpoint_exists(asterisk, phone.sip_username)

    proc = centrex("apply")
    assert proc.returncode == 0, proc.stderr
    assert endpoint_exists(asterisk, phone.sip_username)
    assert centrex("apply", "--dry-run").stdout.strip() == "No change."


def test_a_refused_change_is_rolled_back(asterisk, monkeypatch):
    phone, _ = create_phone_with_user("250", "Emma Blanc")
    pjsip = asterisk.etc_dir / "centrex_pjsip_astdb.conf"
    good = pjsip.read_text()
    real = confgen.registry()["centrex_pjsip_astdb.conf"]

    def broken() -> str:  # an endpoint Asterisk refuses (unknown DTMF mode)
        return real.render() + "\n[ubroken]\ntype = endpoint\ndtmf_mode = nonsense\n"

    monkeypatch.setitem(confgen._REGISTRY, "centrex_pjsip_astdb.conf",
                        dataclasses.replace(real, render=broken))
    monkeypatch.setattr(pbx_apply, "VERIFY_TIMEOUT", 1.0)
    Phone.objects.filter(pk=phone.pk).update(name="Emma Noir")
    with pytest.raises(ApplyError, match="restored"):
        apply()
    assert pjsip.read_text() == good
    assert endpoint_exists(asterisk, phone.sip_username)


def test_automatic_apply_is_debounced(asterisk, settings):
    settings.CENTREX_ASTERISK = {**settings.CENTREX_ASTERISK, "AUTO_APPLY": True,
                                 "APPLY_DEBOUNCE": 0.5}
    apply()
    runs = autoapply.runs()
    phones = []
    for i in range(5):
        phone = Phone(extension=f"26{i}", name=f"Agent {i}")
        phone.set_sip_password()
        phone.full_clean()
        phone.save()  # each save commits (autocommit) and re-arms the timer
        phones.append(phone)
    assert autoapply.wait_idle(30)
    assert autoapply.runs() == runs + 1
    assert all(endpoint_exists(asterisk, p.sip_username) for p in phones)


def test_status_exit_codes(asterisk):
    proc = centrex("asterisk", "status")
    assert proc.returncode == 0, proc.stderr
    assert "version: Asterisk 22" in proc.stdout
    down = centrex("asterisk", "status", env={
        "CENTREX_ASTERISK_MODE": "external", "CENTREX_AMI_PORT": "1",
        "CENTREX_AMI_USER": "x", "CENTREX_AMI_SECRET": "y",
    })
    assert down.returncode != 0
    assert "does not answer on AMI" in down.stderr
    wrong = centrex("asterisk", "status", env={
        "CENTREX_ASTERISK_MODE": "external", "CENTREX_AMI_PORT": str(asterisk.ami["port"]),
        "CENTREX_AMI_USER": asterisk.ami["username"], "CENTREX_AMI_SECRET": "wrong",
    })
    assert wrong.returncode != 0
    assert "Authentication failed" in wrong.stderr or "refused" in wrong.stderr


def test_cli_command_goes_through_ami(asterisk):
    proc = centrex("asterisk", "cli", "core show version")
    assert proc.returncode == 0, proc.stderr
    assert "Asterisk 22" in proc.stdout


def test_external_mode_drives_an_asterisk_it_does_not_manage(asterisk):
    """Pointed at an Asterisk by settings alone (here: the session's), Centrex applies to it."""
    env = {
        "CENTREX_ASTERISK_MODE": "external",
        "CENTREX_AMI_HOST": "127.0.0.1",
        "CENTREX_AMI_PORT": str(asterisk.ami["port"]),
        "CENTREX_AMI_USER": asterisk.ami["username"],
        "CENTREX_AMI_SECRET": asterisk.ami["secret"],
        "CENTREX_ASTERISK_CONFIG_DIR": str(asterisk.etc_dir),
        "CENTREX_ASTERISK_REALTIME_DB": str(asterisk.instance.realtime_db),
        "CENTREX_SIP_HOST": "pbx.example.test",
        "CENTREX_SIP_PORT": str(asterisk.sip_port),
    }
    proc = centrex("phone", "create", "--extension", "290", "--name", "Hugo Faure", "--json",
                   env=env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["sip_host"] == "pbx.example.test"
    assert endpoint_exists(asterisk, data["sip_username"])
    assert centrex("asterisk", "status", env=env).returncode == 0
    refused = centrex("asterisk", "start", env=env)
    assert refused.returncode != 0 and "external" in refused.stderr


def test_pushed_phones_survive_a_restart_and_drift_is_repaired(asterisk):
    phone, _ = create_phone_with_user("295", "Inès Garnier")
    asterisk.restart()
    assert endpoint_exists(asterisk, phone.sip_username)  # AstDB is persistent
    # Someone wipes Centrex's objects behind its back: the next apply puts them back,
    # even though the database did not change.
    run_action(asterisk.ami, "DBDelTree", Family="centrex-pjsip")
    assert not endpoint_exists(asterisk, phone.sip_username)
    result = apply()
    assert result.verified and not result.changes
    assert endpoint_exists(asterisk, phone.sip_username)


def _internal_dialplan(asterisk) -> list[tuple[str, str, str, str]]:
    _, events = run_action_list(asterisk.ami, "ShowDialPlan", Context="centrex-internal")
    # Only the context's own extensions (not the includes, nor what they bring).
    return sorted((e.get("Extension"), e.get("Priority"), e.get("Application"),
                   e.get("AppData")) for e in events
                  if e.name == "ListDialplan" and e.get("Context") == "centrex-internal"
                  and e.get("Extension") is not None)


def _mailbox_exists(asterisk, mailbox: str) -> bool:
    try:
        _, events = run_action_list(asterisk.ami, "VoicemailUserStatus", Context="centrex",
                                    Mailbox=mailbox)
    except Exception:
        return False
    return bool(events)


def test_one_phone_changes_in_place_without_any_reload(asterisk):
    """Adding, changing and removing a phone: AstDB pushes, a realtime row, dialplan
    commands. Asterisk's reload clock must not move, and a later full reload of the
    written files must give the same dialplan."""
    create_phone_with_user("300", "Jules Perrin")
    reload_time = run_action(asterisk.ami, "CoreStatus").get("CoreReloadTime")
    time.sleep(1.1)  # the reload clock counts seconds: any reload from now on would show
    phone, _ = create_phone_with_user("301", "Léa Moreau")
    assert apply().reloaded == []
    assert endpoint_exists(asterisk, phone.sip_username)
    assert _mailbox_exists(asterisk, "301")
    assert ("301", "1", "Gosub", f"centrex-sub-call-phone,s,1(301,PJSIP/{phone.sip_username},"
            "20,1)") in _internal_dialplan(asterisk)

    phone.ring_timeout = 35
    phone.voicemail_pin = "8642"
    phone.save()
    result = apply()
    assert result.reloaded == [] and result.verified
    assert any(row[0] == "301" and ",35," in row[3] for row in _internal_dialplan(asterisk))

    phone.delete()
    result = apply()
    assert result.reloaded == [] and result.verified
    assert not endpoint_exists(asterisk, phone.sip_username)
    assert not _mailbox_exists(asterisk, "301")
    assert not any(row[0] == "301" for row in _internal_dialplan(asterisk))
    assert run_action(asterisk.ami, "CoreStatus").get("CoreReloadTime") == reload_time

    patched = _internal_dialplan(asterisk)
    asterisk.cli("dialplan reload")
    assert _internal_dialplan(asterisk) == patched

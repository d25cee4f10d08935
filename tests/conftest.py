"""Shared fixtures: the managed Asterisk for the whole session, on free loopback ports."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from centrex.pbx.runtime import Instance, build, free_ports


@dataclass
class ManagedAsterisk:
    """What tests need to know about the Asterisk they talk to."""

    instance: Instance

    @property
    def ami(self) -> dict:
        return self.instance.ami

    @property
    def sip_port(self) -> int:
        return self.instance.ports["sip"]

    @property
    def etc_dir(self) -> Path:
        return self.instance.etc_dir

    @property
    def spool_dir(self) -> Path:
        return self.instance.spool_dir

    @property
    def log_dir(self) -> Path:
        return self.instance.log_dir

    def cli(self, command: str) -> str:
        return self.instance.cli(command)

    def restart(self) -> None:
        """Stop and start Asterisk, blocking until AMI answers again."""
        self.instance.stop()
        self.instance.start()


@pytest.fixture(scope="session")
def asterisk(django_db_setup, django_db_blocker) -> ManagedAsterisk:
    """Start one managed Asterisk for the test session, with its own folder and ports."""
    from centrex.pbx import apply

    root = Path(settings.CENTREX_ASTERISK["ROOT"])
    build(root)
    inst = Instance(
        name=f"test-{os.getpid()}-{secrets.token_hex(3)}", root=str(root), ports=free_ports()
    )
    inst.save(Path(settings.CENTREX_ASTERISK["STATE_FILE"]))
    try:
        inst.prepare()
        with django_db_blocker.unblock():
            apply.write_only()
        inst.start()
        with django_db_blocker.unblock():
            apply.apply()
        yield ManagedAsterisk(inst)
    finally:
        inst.destroy()


@pytest.fixture
def sip(asterisk, tmp_path):
    """SIPp phones against the session's Asterisk (tests/sipp.py)."""
    from tests.sipp import SippRunner, sipp_available

    if not sipp_available():
        pytest.fail("SIPp is not installed (Debian package sip-tester)")
    runner = SippRunner(asterisk.sip_port, tmp_path / "sipp")
    yield runner
    runner.close()


@pytest.fixture
def rtp():
    """A UDP socket that plays a phone's audio (RTP) where a test checks it."""
    from tests.sipp import RtpPeer

    peer = RtpPeer()
    yield peer
    peer.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Integration tests all need the database: the session's Asterisk is configured from it
    (pytest-django only creates the test database when some test asks for it)."""
    for item in items:
        if item.get_closest_marker("integration") and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db(transaction=True))

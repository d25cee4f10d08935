"""Helpers shared by the integration tests."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Content hash and modification time of every file: 'unchanged' means both."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def centrex(
    *args: str, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run the real `centrex` command against the test database and Asterisk."""
    full_env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="centrex.settings.test",
        CENTREX_VAR_DIR=str(settings.VAR_DIR),
        **(env or {}),
    )
    return subprocess.run(
        [sys.executable, "-m", "centrex.cli", *args],
        capture_output=True, text=True, env=full_env, timeout=timeout, check=False,
    )


def reachable(asterisk, sip_user: str, queue_name: str | None = None) -> None:
    """Qualify a just-registered phone at once and wait until Asterisk (and ``queue_name``'s
    member list, when given) sees it available.

    app_queue does not ring a member whose device is Unavailable, as a phone is until a
    qualify OPTIONS is answered; the next periodic qualify may be a minute away."""
    from tests.integration.test_calls import wait_for

    asterisk.cli(f"pjsip qualify {sip_user}")
    assert wait_for(lambda: " Avail " in asterisk.cli(f"pjsip show contacts like {sip_user}"),
                    10), asterisk.cli(f"pjsip show contacts like {sip_user}")
    if queue_name is not None:
        shown = lambda: asterisk.cli(f"queue show {queue_name}")  # noqa: E731
        assert wait_for(lambda: "(Not in use)" in shown(), 10), shown()

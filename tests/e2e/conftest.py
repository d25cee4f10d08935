"""The portal served as `centrex run` serves it, for browser tests and for tests that read
its event streams: uvicorn in its own process, on the test database and the test session's
Asterisk, with the AMI event listener running (live state, voicemail e-mails...)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

# The portal as `centrex run` serves it (the ASGI application and the AMI event listener),
# plus the static files (CSS, JS), which the ASGI application alone does not serve.
SERVER = """
import sys, django, uvicorn
django.setup()
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from centrex.pbx import events
events.start()
uvicorn.run(ASGIStaticFilesHandler(get_asgi_application()), host="127.0.0.1",
            port=int(sys.argv[1]), log_level="warning")
"""


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_portal(log_path: Path) -> Iterator[str]:
    """Start the portal on a free loopback port; its base URL until the block ends."""
    port = free_tcp_port()
    log = log_path.open("wb")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="centrex.settings.test",
               CENTREX_VAR_DIR=str(settings.VAR_DIR))
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("the portal did not start:\n"
                                + log_path.read_text(errors="replace"))
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def portal(asterisk, tmp_path) -> Iterator[str]:
    """The portal on a free loopback port, on the test database; its base URL."""
    with running_portal(tmp_path / "uvicorn.log") as url:
        yield url

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

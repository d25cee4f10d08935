"""Apply automatically after a change is committed, debounced.

Saving ten phones in a row (an import, a bulk edit) must not cost ten reloads: each commit
(re)arms a short timer and one apply runs when the changes stop. The apply runs in a
background thread with its own database connection, after the transaction committed, so it
renders what is really in the database.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections, transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger("centrex.pbx.apply")

_lock = threading.Lock()
_timer: threading.Timer | None = None
_idle = threading.Event()
_idle.set()
_runs = 0
_generation = 0


def enabled() -> bool:
    return bool(settings.CENTREX_ASTERISK["AUTO_APPLY"])


def _run(generation: int) -> None:
    global _runs
    from centrex.pbx.apply import ApplyError, apply

    try:
        apply(require_asterisk=False)
    except ApplyError as exc:
        log.error("automatic apply failed: %s", exc)
    except Exception:
        log.exception("automatic apply failed")
    finally:
        connections.close_all()
        with _lock:
            _runs += 1
            if generation == _generation:  # no newer change armed a timer meanwhile
                _idle.set()


def schedule() -> None:
    """(Re)arm the debounce timer."""
    global _timer, _generation
    if not enabled():
        return
    with _lock:
        if _timer is not None:
            _timer.cancel()
        _generation += 1
        _idle.clear()
        _timer = threading.Timer(
            settings.CENTREX_ASTERISK["APPLY_DEBOUNCE"], _run, args=(_generation,)
        )
        _timer.daemon = True
        _timer.start()


def wait_idle(timeout: float = 30.0) -> bool:
    """Block until no apply is pending or running (tests, the CLI before it exits)."""
    return _idle.wait(timeout)


def runs() -> int:
    """How many automatic applies ran in this process (tests check the debounce with it)."""
    return _runs


def _on_change(sender, **kwargs) -> None:
    transaction.on_commit(schedule)


def watch(*models: type) -> None:
    """Apply after every committed save or delete of these models."""
    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"autoapply-save-{model}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"autoapply-del-{model}")

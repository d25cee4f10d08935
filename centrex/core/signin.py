"""Brute-force protection: failed sign-ins counted per account and per address."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from centrex.core import audit
from centrex.core.models import SignInFailure

log = logging.getLogger("centrex.core.signin")


def _since():
    return timezone.now() - timedelta(seconds=settings.CENTREX_SIGNIN_LOCK_SECONDS)


def is_locked(username: str, address: str) -> bool:
    recent = SignInFailure.objects.filter(at__gte=_since())
    limit = settings.CENTREX_SIGNIN_MAX_FAILURES
    return (recent.filter(username=username).count() >= limit
            or recent.filter(address=address).count() >= limit)


def failed(username: str, address: str) -> None:
    """Count a failure; the one that reaches the limit locks, and the lock is logged."""
    was_locked = is_locked(username, address)
    SignInFailure.objects.create(username=username[:150], address=address[:64])
    audit.record("sign_in_failed", object_repr=username)
    if not was_locked and is_locked(username, address):
        log.warning("sign-in locked for %r from %s", username, address)
        audit.record("sign_in_locked", object_repr=f"{username} @ {address}")


def succeeded(user) -> None:
    SignInFailure.objects.filter(username=user.get_username()).delete()
    audit.record("sign_in", user)

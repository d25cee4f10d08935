"""Issuing, checking and revoking personal API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from centrex.api.models import ApiToken
from centrex.core import audit

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
TOKEN_START = "cxt_"  # noqa: S105 (a prefix, not a secret)
PREFIX_LENGTH = len(TOKEN_START) + 8
# ``last_used`` is written at most this often, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue(owner, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``owner``; returns it with the clear token, to be shown once."""
    clear = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken(owner=owner, name=name, prefix=clear[:PREFIX_LENGTH],
                     token_hash=digest(clear))
    token.full_clean()
    token.save()
    return token, clear


def owner_of(clear: str):
    """The active user a clear token acts as, or None (unknown, revoked, owner disabled)."""
    if not clear.startswith(TOKEN_START) or len(clear) > 100:
        return None
    token = (ApiToken.objects.select_related("owner")
             .filter(token_hash=digest(clear), revoked__isnull=True, owner__is_active=True)
             .first())
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > LAST_USED_RESOLUTION:
        # update(): using a token is no change for the journal, and only this column moves.
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.owner


@transaction.atomic
def revoke(token: ApiToken) -> None:
    """Revoke for good (kept for the record); requests with it get 401 from now on."""
    if token.revoked is not None:
        return
    token.revoked = timezone.now()
    # update() rather than save(): one journal entry that says "revoke", not "update".
    ApiToken.objects.filter(pk=token.pk).update(revoked=token.revoked)
    audit.record("revoke", token, {"revoked": [None, str(token.revoked)]})

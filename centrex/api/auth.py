"""Who calls the API, and may they: a personal token or the portal's session, then a permission.

Every operation is guarded by ``may(permission)``: a bearer token (scripts) or the session
cookie of a signed-in user (the portal's own pages, with CSRF on unsafe methods). Both act
with the user's profile. Without valid credentials the answer is 401; signed in without the
permission, 403. The permission is kept on the guard, so the access matrix can read what
each operation needs from the API itself (``centrex.api.main.operation_rules``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from centrex.api import tokens
from centrex.core import audit

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class _Permission:
    permission: str | None

    def authorize(self, request: HttpRequest, user):
        """Make ``user`` the acting user of the request (and of the journal), then check."""
        request.user = user
        audit.current_actor().user = user
        if self.permission and not user.has_perm(self.permission):
            raise AuthorizationError(message=_("Your profile does not allow this."))
        return user


class BearerToken(_Permission, HttpBearer):
    """``Authorization: Bearer cxt_...``: a personal API token."""

    def __init__(self, permission: str | None = None) -> None:
        self.permission = permission
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str):
        user = tokens.owner_of(token)
        return self.authorize(request, user) if user is not None else None


class PortalSession(_Permission, APIKeyCookie):
    """The session cookie of a user signed in to the portal."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, permission: str | None = None) -> None:
        self.permission = permission
        # CSRF is checked below, after authentication: an anonymous call is a 401, not a 403.
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated:
            return None
        if getattr(user, "must_change_password", False):
            # As on the pages: a printed first password is changed before anything else.
            raise HttpError(403, _("Change your password first (My account)."))
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return self.authorize(request, user)


def may(permission: str | None = None) -> list:
    """The guard of one operation: any signed-in caller, or those holding ``permission``."""
    return [BearerToken(permission), PortalSession(permission)]

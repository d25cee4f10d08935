"""The one way a page says who may open it.

``@requires("core.administer")`` checks the permission (403 otherwise, sign-in for
anonymous visitors) and records the rule on the view, so the role-by-page test matrix
(tests/integration/test_access_matrix.py) reads every page's rule from the URL
configuration instead of a list someone must keep up to date. Scope (which objects) is
checked inside the view with ``centrex.core.roles``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def requires(permission: str | None = None) -> Callable[[View], View]:
    """Signed-in users only; with ``permission``, only those who hold it."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if permission and not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.centrex_access = permission or "authenticated"
        return wrapper

    return decorator


def public(view: View) -> View:
    """Explicitly open to anonymous visitors (sign-in page, health check)."""
    view.centrex_access = "public"
    return view

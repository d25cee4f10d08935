"""``/api/v1/``: the REST API (centrex/api/main.py), its index and its reference page.

Everything under it answers JSON, errors included: unknown paths get a JSON 404 and a
method an operation does not take a JSON 405 (django-ninja answers those in plain text).
"""

from functools import partial, wraps

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from centrex.api import views
from centrex.api.main import api


def _json_405(view):
    @wraps(view)  # keeps django-ninja's csrf_exempt and module (the access matrix reads it)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        return JsonResponse({"detail": _("Method not allowed."), "errors": {}}, status=405,
                            headers={"Allow": response["Allow"]})

    return wrapper


# (No module-level ``app_name`` here: include() would take it as this module's namespace.)
_ninja_urls = api.urls
for _pattern in _ninja_urls[0]:
    if not isinstance(_pattern.callback, partial):  # partials: the schema, the root
        _pattern.callback = _json_405(_pattern.callback)

urlpatterns = [
    path("", views.api_index, name="api-index"),
    path("docs/", views.api_docs, name="api-docs"),
    path("", _ninja_urls),
    re_path(r"^.*$", views.api_not_found),  # JSON, not the portal's HTML page
]

"""The REST API: one NinjaAPI, the routers of the apps, and one error format for everything.

Every answer that is not a success is ``{"detail": "...", "errors": {field: [messages]}}``:
400 for values the models refuse (the same validation as the pages), 422 for a request that
does not match the schema, 401/403/404 for access, 409 for a conflict with a concurrent
change, 503 when Asterisk did not take a change (nothing was saved).
"""

import json
import logging

from django.core.exceptions import ValidationError as ModelValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser

from centrex.api.auth import may
from centrex.pbx.apply import ApplyError
from centrex.pbx.connection import NotConfigured

log = logging.getLogger("centrex.api")


class StrictJSONParser(Parser):
    """JSON that can be stored: a lone surrogate (``"\\ud800"``) is valid JSON but not
    valid UTF-8, and would fail deep in the database driver instead of here, as a 400."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = json.loads(request.body)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return data


api = NinjaAPI(
    title="Centrex API",
    version="1",
    description="Users, departments, phones and contacts of Centrex. Authenticate with a "
                "personal token: `Authorization: Bearer <token>` (create one under My account).",
    auth=may(),
    parser=StrictJSONParser(),
    urls_namespace="api-v1",
    docs_url=None,  # our own page (centrex/api/views.py): no scripts from elsewhere
)


def error(request: HttpRequest, status: int, detail: str,
          errors: dict[str, list[str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}},
                               status=status)


def _field(location: tuple | list) -> str:
    """Where pydantic says the error is → the field's name: ``("body", "payload", "name")``
    → ``name``, ``("query", "page")`` → ``page``; the whole body → ``__all__``."""
    parts = [str(p) for p in location]
    parts = parts[2:] if parts[:1] == ["body"] else parts[1:]
    return ".".join(parts) or "__all__"


@api.exception_handler(SchemaValidationError)
def schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_field(item.get("loc", ())), []).append(str(item.get("msg", "")))
    return error(request, 422, _("The request does not match the API schema."), errors)


@api.exception_handler(ModelValidationError)
def model_invalid(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return error(request, 400, _("Some values are not valid."), errors)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ours carry their (translated) message; django-ninja's own get one here."""
    detail = str(exc)
    if exc.status_code == 401:
        detail = _("Authentication required: send a valid API token.")
    elif exc.status_code == 400 and detail.startswith("Cannot parse"):
        detail = _("The request body is not valid JSON.")
    return error(request, exc.status_code, detail)


# Exceptions that always get the same answer: (status, message, how loud to log them).
FIXED_ANSWERS: dict[type[Exception], tuple[int, str, int]] = {
    Http404: (404, gettext_lazy("Not found."), logging.DEBUG),
    IntegrityError: (409, gettext_lazy("Conflict with a change made at the same time: read "
                                       "it again and retry."), logging.WARNING),
    ApplyError: (503, gettext_lazy("Asterisk did not take the change: nothing was saved. "
                                   "Retry later."), logging.ERROR),
}
FIXED_ANSWERS[NotConfigured] = FIXED_ANSWERS[ApplyError]


def _fixed_answer(exc_class: type[Exception]):
    status, message, level = FIXED_ANSWERS[exc_class]

    def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.log(level, "API: %s on %s %s: %s", status, request.method, request.path, exc)
        return error(request, status, str(message))

    return handler


for _exc_class in FIXED_ANSWERS:
    api.add_exception_handler(_exc_class, _fixed_answer(_exc_class))


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered in the API's format (never HTML)."""
    log.exception("API: unexpected error on %s %s", request.method, request.path)
    return error(request, 500, _("Internal error; it has been logged."))


def _register_routers() -> None:
    from centrex.contact_center.api import router as contact_center_router
    from centrex.core.api import router as core_router
    from centrex.directory.api import router as directory_router
    from centrex.features.api import router as features_router
    from centrex.groups.api import router as groups_router
    from centrex.ivr.application_api import router as application_router
    from centrex.ivr.calendar_api import router as calendar_router
    from centrex.ivr.sound_api import router as sound_router
    from centrex.reports.api import router as reports_router
    from centrex.rights.api import router as rights_router
    from centrex.routing.api import router as routing_router
    from centrex.telephony.api import router as telephony_router
    from centrex.voicemail.api import router as voicemail_router

    api.add_router("", core_router)
    api.add_router("/phones", telephony_router)
    api.add_router("/contacts", directory_router)
    # Each of these routers names its own paths (several resources per app).
    for router in (voicemail_router, routing_router, rights_router, groups_router,
                   features_router, contact_center_router, sound_router, calendar_router,
                   application_router, reports_router):
        api.add_router("", router)


_register_routers()


def operation_rules() -> list[tuple[str, str, str]]:
    """``(method, path, rule)`` of every operation, where rule is the permission it needs or
    ``"authenticated"`` (then the objects are filtered by scope): read by the access matrix."""
    rules = []
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                rule = operation.auth_callbacks[0].permission or "authenticated"
                full = "/".join(p.strip("/") for p in ("/api/v1", bound.prefix, path) if p)
                rules.extend((method, f"/{full}".rstrip("/"), rule)
                             for method in operation.methods)
    return sorted(rules)

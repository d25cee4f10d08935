"""Pages of the API: each user's tokens (under My account) and the API's reference."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from centrex.api import tokens
from centrex.api.forms import TokenForm
from centrex.api.models import ApiToken
from centrex.web.access import public, requires
from centrex.web.lists import Column, list_context


def _when(value) -> str:
    return date_format(value, "SHORT_DATETIME_FORMAT") if value else "—"


@requires()
def token_list(request: HttpRequest) -> HttpResponse:
    columns = [
        Column(gettext_lazy("Name"), "name", sort="name"),
        Column(gettext_lazy("Token"), lambda t: f"{t.prefix}…"),
        Column(gettext_lazy("Created"), lambda t: _when(t.created), sort="created"),
        Column(gettext_lazy("Last used"), lambda t: _when(t.last_used), sort="last_used"),
        Column(gettext_lazy("State"), lambda t: render_to_string(
            "api/_token_state.html", {"token": t}, request=request)),
    ]
    context = list_context(request, ApiToken.objects.filter(owner=request.user), columns,
                           search=("name", "prefix"), default_sort="-created")
    return render(request, "api/tokens.html", context)


@requires()
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, clear = tokens.issue(request.user, form.cleaned_data["name"])
        response = render(request, "api/token_created.html", {"token": token, "clear": clear})
        response["Cache-Control"] = "no-store"  # the token must not stay in a cache
        return response
    return render(request, "api/token_form.html", {"form": form})


@require_POST
@requires()
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, owner=request.user)
    tokens.revoke(token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api-token-list")


@public
def api_docs(request: HttpRequest) -> HttpResponse:
    """The reference of every operation, read from the OpenAPI schema (no scripts)."""
    from centrex.api.main import api, operation_rules

    schema = api.get_openapi_schema()
    rules = {(method, path): rule for method, path, rule in operation_rules()}
    components = schema.get("components", {}).get("schemas", {})
    sections: dict[str, list[dict]] = {}
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            sections.setdefault((op.get("tags") or ["api"])[0], []).append({
                "method": method.upper(), "path": path,
                "summary": op.get("summary", ""), "description": op.get("description", ""),
                "rule": rules.get((method.upper(), path), ""),
                "parameters": [_field(p["name"], p.get("schema", {}), p.get("required"),
                                      components) for p in op.get("parameters", [])],
                "body": _fields(body.get("schema", {}), components),
                "responses": sorted(op.get("responses", {})),
            })
    return render(request, "api/docs.html", {"sections": sections})


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref", "")
    return components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema


def _type(schema: dict, components: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(s, components) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(f"“{v}”" for v in schema["enum"])
    if schema.get("type") == "array":
        return f"{_type(schema.get('items', {}), components)}[]"
    return schema.get("type", "")


def _field(name: str, schema: dict, required: bool | None, components: dict) -> dict:
    return {"name": name, "type": _type(schema, components), "required": bool(required),
            "description": schema.get("description", "")}


def _fields(schema: dict, components: dict) -> list[dict]:
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    return [_field(name, prop, name in required, components)
            for name, prop in schema.get("properties", {}).items()]


@public
def api_index(request: HttpRequest) -> JsonResponse:
    """``/api/v1/``: where the description and the reference are."""
    return JsonResponse({"openapi": reverse("api-v1:openapi-json"),
                         "docs": reverse("api-docs")})


@public
def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)

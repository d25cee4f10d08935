"""The portal's first pages: a home page and a health check for monitoring."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from centrex.telephony.models import Phone


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"phone_count": Phone.objects.count()})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of the portal itself (the database answers)."""
    return JsonResponse({"status": "ok", "phones": Phone.objects.count()})

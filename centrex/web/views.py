"""The home page and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from centrex.telephony.models import Phone
from centrex.web.access import public, requires


@requires()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {
        "phones": Phone.objects.filter(user=request.user),
        "phone_count": Phone.objects.count(),
    })


@public
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of the portal itself (the database answers)."""
    Phone.objects.exists()
    return JsonResponse({"status": "ok"})

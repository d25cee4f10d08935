"""Pages of the call rights: the settings, and a helper that tells a number's class."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centrex.rights import services
from centrex.rights.forms import ClassifyForm, RightsSettingsForm
from centrex.telephony import services as phone_services
from centrex.web.access import requires


@requires("rights.view_rightssettings")
def settings_page(request: HttpRequest) -> HttpResponse:
    current = services.current()
    may_change = request.user.has_perm("rights.change_rightssettings")
    initial = {**current, "emergency_numbers": " ".join(current["emergency_numbers"])}
    form = RightsSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.update_settings(**form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except phone_services.APPLY_ERRORS as exc:
                from centrex.core.views import not_applied

                form.add_error(None, not_applied(exc))
            else:
                messages.success(request, _("The settings have been saved."))
                return redirect("rights-settings")
    check = ClassifyForm(request.GET or None)
    verdict = None
    if check.is_valid():
        number = check.cleaned_data["number"]
        result = services.classify(number, current)
        verdict = {"number": number, "class": services.CLASS_LABELS[result.number_class],
                   "country": result.country,
                   "allowed_country": result.country_code in
                   services.numbers.country_codes(current["allowed_countries"])}
    return render(request, "rights/settings.html", {
        "form": form, "check": check, "verdict": verdict, "may_change": may_change})

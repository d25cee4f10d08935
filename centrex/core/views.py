"""Sign-in, sign-out and the password change every user can reach."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centrex.core import signin
from centrex.core.forms import PasswordChangeForm, SignInForm
from centrex.web.access import public, requires
from centrex.web.middleware import client_address


@public
def signin_view(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = client_address(request)
        if signin.is_locked(username, address):
            form.add_error(None, _("Too many failed sign-ins: this account or address is "
                                   "locked for a while. Try again later."))
        else:
            user = authenticate(request, username=username,
                                password=form.cleaned_data["password"])
            if user is None:
                signin.failed(username, address)
                form.add_error(None, _("Wrong user name or password."))
            else:
                login(request, user)
                signin.succeeded(user)
                if user.must_change_password:
                    return redirect("account-password")
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    target = "home"
                return redirect(target or "home")
    return render(request, "core/signin.html", {"form": form})


@require_POST
@public
def signout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("signin")


@requires()
def password_view(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        user.set_password(form.cleaned_data["new"])
        user.must_change_password = False
        user.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("account")
    return render(request, "core/password.html", {
        "form": form, "forced": request.user.must_change_password,
    })


@requires()
def account_view(request: HttpRequest) -> HttpResponse:
    """My account: my phones and extension, links to change my password and PIN."""
    from centrex.core import roles

    return render(request, "core/account.html", {
        "phones": request.user.phones.all(),
        "profiles": [roles.PROFILES[n].label for n in roles.profiles_of(request.user)
                     if n in roles.PROFILES],
    })

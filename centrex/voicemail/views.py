"""Pages of the voicemail: the signed-in user's own boxes, and the SMTP settings.

A box is found among the user's own phones only (``services.own_mailboxes``): for anybody
else, an administrator included, it does not exist (404). Messages are named by folder and
Asterisk's msg_id in the query string or the posted form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centrex.core.views import confirm_page, form_page
from centrex.voicemail import services, spool
from centrex.voicemail.forms import EmailSettingsForm, MessageForm, MoveForm, NotificationForm
from centrex.voicemail.models import EmailSettings, Mailbox
from centrex.web.access import requires


def _box(request: HttpRequest, mailbox_id: int) -> Mailbox:
    return get_object_or_404(services.own_mailboxes(request.user), pk=mailbox_id)


def _box_url(box: Mailbox, folder: str = "INBOX") -> str:
    url = reverse("voicemail-box", args=[box.pk])
    return url if folder == "INBOX" else f"{url}?{urlencode({'folder': folder})}"


def _page(request: HttpRequest, box: Mailbox | None) -> HttpResponse:
    boxes = list(services.own_mailboxes(request.user))
    folder = request.GET.get("folder", "INBOX")
    if folder not in spool.FOLDERS:
        folder = "INBOX"
    context = {"boxes": boxes, "box": box, "folder": folder,
               "unavailable": spool.root() is None, "move_choices": spool.FOLDERS}
    if box is not None:
        counts = spool.counts(box.extension)
        context["folders"] = [(key, label, counts[key]) for key, label in spool.FOLDERS.items()]
        context["messages_"] = spool.messages(box.extension, folder)
        choice = services.notification_of(box)
        context["notify"] = bool(choice and choice.enabled)
        context["email_ready"] = EmailSettings.get().configured
    return render(request, "voicemail/mailbox.html", context)


@requires()
def voicemail(request: HttpRequest) -> HttpResponse:
    """My voicemail: the first of the user's boxes (the others one click away)."""
    return _page(request, services.own_mailboxes(request.user).first())


@requires()
def mailbox(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    return _page(request, _box(request, mailbox_id))


@requires()
def audio(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    """The recording, for the page's <audio> or as a download (``download=1``); read only
    after the box was found among the user's own."""
    box = _box(request, mailbox_id)
    form = MessageForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Which message? Give its folder and message id."))
    message = services.get_message(box, form.cleaned_data["folder"],
                                   form.cleaned_data["message"])
    if message is None or message.audio is None:
        return HttpResponse(_("This message no longer exists."), status=404)
    return FileResponse(message.audio.open("rb"), content_type=message.content_type,
                        as_attachment=request.GET.get("download") == "1",
                        filename=message.filename)


@requires()
@require_POST
def move(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    box = _box(request, mailbox_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Which message, to which folder?"))
    folder = form.cleaned_data["folder"]
    message = services.get_message(box, folder, form.cleaned_data["message"])
    if message is None:
        messages.error(request, _("This message no longer exists."))
        return redirect(_box_url(box, folder))
    try:
        services.move(box, message, form.cleaned_data["to"])
    except services.AMI_ERRORS as exc:
        messages.error(request, _("Asterisk did not move the message: %(error)s") % {
            "error": exc})
    else:
        messages.success(request, _("The message has been moved to %(folder)s.") % {
            "folder": spool.FOLDERS[form.cleaned_data["to"]]})
    return redirect(_box_url(box, folder))


@requires()
def delete(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    box = _box(request, mailbox_id)
    # GET asks, POST (to the same address, query string included) deletes.
    form = MessageForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Which message? Give its folder and message id."))
    folder = form.cleaned_data["folder"]
    message = services.get_message(box, folder, form.cleaned_data["message"])
    if message is None:
        messages.error(request, _("This message no longer exists."))
        return redirect(_box_url(box, folder))

    def remove(_form) -> HttpResponse:
        try:
            services.delete(box, message)
        except services.AMI_ERRORS as exc:
            messages.error(request, _("Asterisk did not delete the message: %(error)s") % {
                "error": exc})
        else:
            messages.success(request, _("The message has been deleted."))
        return redirect(_box_url(box, folder))

    when = f"{message.date:%Y-%m-%d %H:%M}" if message.date else ""
    return confirm_page(
        request, title=_("Delete a voicemail message"),
        question=_("Delete the message from %(caller)s (%(date)s)? It cannot be recovered.")
        % {"caller": message.caller, "date": when},
        button=_("Delete"), cancel=_box_url(box, folder), action=remove)


@requires()
@require_POST
def notification(request: HttpRequest, mailbox_id: int) -> HttpResponse:
    box = _box(request, mailbox_id)
    form = NotificationForm(request.POST)
    form.is_valid()
    enabled = bool(form.cleaned_data.get("enabled"))
    services.set_notification(box, enabled)
    if enabled:
        messages.success(request, _("New messages will be e-mailed to %(email)s.") % {
            "email": request.user.email or _("(no address: set it in My account)")})
    else:
        messages.success(request, _("New messages will no longer be e-mailed."))
    return redirect(_box_url(box))


@requires("voicemail.change_emailsettings")
def email_settings(request: HttpRequest) -> HttpResponse:
    def save(form: EmailSettingsForm) -> HttpResponse:
        form.save()
        messages.success(request, _("The e-mail settings have been saved."))
        return redirect("email-settings")

    form = EmailSettingsForm(request.POST or None, instance=EmailSettings.get())
    return form_page(request, form, title=_("E-mail (SMTP) settings"), save=save,
                     cancel=reverse("site-settings"))

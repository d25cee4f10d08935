"""Pages of sounds and music on hold (seeds/002 "Sons & musiques d'attente"): the list with
a player in each row, a sound's page (listen, download, record again from a phone), the
forms, and the music-on-hold classes. Every change goes through ``centrex.ivr.sounds``."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centrex.contact_center.recording_views import _ranged
from centrex.core.views import allowed, confirm_page, form_page, recent_changes
from centrex.ivr import sounds
from centrex.ivr.models import MusicClass, MusicClassSound, Sound
from centrex.ivr.sound_forms import MusicClassForm, SoundForm
from centrex.pbx.connection import NotConfigured
from centrex.web.access import requires
from centrex.web.lists import Column, render_list

WAV = "audio/wav"


def duration_text(sound: Sound) -> str:
    seconds = round(sound.duration)
    return f"{seconds // 60}:{seconds % 60:02d}" if sound.ready else "—"


def player(sound: Sound) -> str:
    """The <audio> player and the download link, or why there is nothing to hear."""
    if not sound.ready:
        return _("being recorded") if sound.source == Sound.PHONE else _("no audio yet")
    audio = reverse("sound-audio", args=[sound.pk])
    return format_html(
        '<audio controls preload="none" src="{}?r={}"></audio> <a href="{}?download=1">{}</a>',
        audio, sound.revision, audio, _("Download"))


def _delete_link(url_name: str):
    return Column("", lambda obj: format_html('<a href="{}">{}</a>',
                                              reverse(url_name, args=[obj.pk]), _("Delete")))


def _collect() -> None:
    """Phone recordings finished while nobody listened to AMI (the portal was down)."""
    with contextlib.suppress(NotConfigured, OSError):
        sounds.collect()


# -- sounds ---------------------------------------------------------------------------------
COLUMNS = [
    Column(gettext_lazy("Type"), lambda s: s.get_kind_display(), sort="kind"),
    Column(gettext_lazy("Name"), "name", sort="name", link=True),
    Column(gettext_lazy("Comments"), "comment"),
    Column(gettext_lazy("Source"), lambda s: s.get_source_display(), sort="source"),
    Column(gettext_lazy("Duration"), duration_text, sort="duration", css="number"),
    Column(gettext_lazy("Listen"), player),
]


@requires("ivr.view_sound")
def sound_list(request: HttpRequest) -> HttpResponseBase:
    _collect()
    columns = COLUMNS
    if request.user.has_perm("ivr.delete_sound"):
        columns = [*COLUMNS, _delete_link("sound-delete")]
    return render_list(
        request, "core/list.html", Sound.objects.all(), columns,
        search=["name", "comment", "text"], default_sort="name",
        context={"title": _("Sounds and music on hold"), "actions": allowed(request, [
            ("ivr.add_sound", _("New sound"), reverse("sound-add"), ""),
            ("ivr.view_musicclass", _("Music-on-hold classes"), reverse("musicclass-list"),
             "secondary")])})


@requires("ivr.view_sound")
def sound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _collect()
    sound = get_object_or_404(Sound, pk=pk)
    actions = allowed(request, [
        ("ivr.change_sound", _("Edit"), reverse("sound-edit", args=[pk]), ""),
        ("ivr.change_sound", _("Record from my phone"), reverse("sound-record", args=[pk]),
         "secondary"),
        ("ivr.delete_sound", _("Delete"), reverse("sound-delete", args=[pk]), "danger")])
    return render(request, "ivr/sound_detail.html", {
        "sound": sound, "player": player(sound), "actions": actions,
        "duration": duration_text(sound), "classes": sound.classes.order_by("name"),
        "asterisk_path": sounds.asterisk_path(sound), "changes": recent_changes(request, sound)})


def _call(request: HttpRequest, sound: Sound) -> None:
    try:
        extension = sounds.record_from_phone(sound, request.user)
    except sounds.RecordError as exc:
        messages.error(request, str(exc))
        return
    messages.info(request, _("Centrex is calling your phone %(extension)s: after the beep, "
                             "speak, then hang up or press #. Reload this page to hear the "
                             "result.") % {"extension": extension})


def _sound_form(request: HttpRequest, sound: Sound | None) -> HttpResponse:
    form = SoundForm(request.POST or None, request.FILES or None, instance=sound,
                     user=request.user)
    title = _("Edit %(name)s") % {"name": sound} if sound else _("New sound")
    cancel = sound.get_absolute_url() if sound else reverse("sound-list")

    def save(valid: SoundForm) -> HttpResponse:
        obj, data = valid.instance, valid.cleaned_data
        if data["source"] == Sound.UPLOAD and data.get("file"):
            sounds.save_upload(obj, data["file"])
        elif data["source"] == Sound.TTS:
            sounds.save_tts(obj)
        else:
            sounds.save_details(obj)
        messages.success(request, _("“%(name)s” has been saved.") % {"name": obj})
        if valid.wants_call():
            _call(request, obj)
        return redirect(obj.get_absolute_url())

    return form_page(request, form, title=title, save=save, cancel=cancel)


@requires("ivr.add_sound")
def sound_add(request: HttpRequest) -> HttpResponse:
    return _sound_form(request, None)


@requires("ivr.change_sound")
def sound_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _sound_form(request, get_object_or_404(Sound, pk=pk))


@requires("ivr.change_sound")
def sound_record(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks, POST makes Asterisk call the user's phone (a call is never a GET)."""
    sound = get_object_or_404(Sound, pk=pk)

    def call(_form) -> HttpResponse:
        _call(request, sound)
        return redirect(sound.get_absolute_url())

    phone = request.user.phones.order_by("extension").first()
    question = (_("Centrex will call your phone %(extension)s. After the beep, speak; hang "
                  "up, press # or stay silent to finish. The recording replaces the sound "
                  "of “%(name)s”.") % {"extension": phone.extension, "name": sound}
                if phone else _("You have no phone, so Centrex cannot call you to record."))
    return confirm_page(request, title=_("Record %(name)s from my phone") % {"name": sound},
                        question=question, button=_("Call me"), danger=False,
                        cancel=sound.get_absolute_url(), action=call)


@requires("ivr.delete_sound")
def sound_delete(request: HttpRequest, pk: int) -> HttpResponse:
    sound = get_object_or_404(Sound, pk=pk)

    def delete(_form) -> HttpResponse:
        try:
            sounds.delete(sound)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(sound.get_absolute_url())
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": sound})
        return redirect("sound-list")

    return confirm_page(request, title=_("Delete %(name)s") % {"name": sound},
                        question=_("Delete “%(name)s” and its files?") % {"name": sound},
                        button=_("Delete"), cancel=sound.get_absolute_url(), action=delete)


@requires("ivr.view_sound")
def sound_audio(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The WAV to listen (with Range, for the <audio> seek bar), or with ``download=1`` the
    original file as uploaded; 410 (like a recording whose file is gone) while the sound
    has no audio: 404 would say the sound itself does not exist."""
    sound = get_object_or_404(Sound, pk=pk)
    download = request.GET.get("download") == "1"
    try:
        path = sounds.original_file(sound) if download else sounds.listen_file(sound)
    except NotConfigured:
        path = None
    if path is None:
        return HttpResponse(_("This sound has no audio yet."), status=410,
                            content_type="text/plain; charset=utf-8")
    if download:
        response: HttpResponseBase = FileResponse(
            path.open("rb"), as_attachment=True, filename=sounds.download_name(sound))
    else:
        response = _ranged(request, path, WAV) or FileResponse(path.open("rb"),
                                                               content_type=WAV)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    return response


# -- music-on-hold classes ----------------------------------------------------------------
def _music_names(music_class: MusicClass) -> str:
    return format_html_join(", ", '<a href="{}">{}</a>', (
        (e.sound.get_absolute_url(), e.sound.name) for e in music_class.entries.all()))


CLASS_COLUMNS = [
    Column(gettext_lazy("Name"), "name", sort="name", link=True),
    Column(gettext_lazy("Description"), "description", sort="description"),
    Column(gettext_lazy("Music"), _music_names),
    Column(gettext_lazy("Random order"), "shuffle", sort="shuffle"),
]


@requires("ivr.view_musicclass")
def musicclass_list(request: HttpRequest) -> HttpResponseBase:
    classes = MusicClass.objects.prefetch_related(Prefetch(
        "entries", queryset=MusicClassSound.objects.select_related("sound")))
    columns = CLASS_COLUMNS
    if request.user.has_perm("ivr.delete_musicclass"):
        columns = [*CLASS_COLUMNS, _delete_link("musicclass-delete")]
    return render_list(
        request, "ivr/musicclass_list.html", classes, columns,
        search=["name", "description"], default_sort="name",
        context={"title": _("Music-on-hold classes"), "actions": allowed(request, [
            ("ivr.add_musicclass", _("New class"), reverse("musicclass-add"), ""),
            ("ivr.view_sound", _("Sounds"), reverse("sound-list"), "secondary")])})


def _class_form(request: HttpRequest, music_class: MusicClass | None) -> HttpResponse:
    form = MusicClassForm(request.POST or None, instance=music_class)
    title = (_("Edit %(name)s") % {"name": music_class} if music_class
             else _("New music-on-hold class"))

    def save(valid: MusicClassForm) -> HttpResponse:
        sounds.save_class(valid.instance, valid.chosen())
        messages.success(request, _("“%(name)s” has been saved.") % {"name": valid.instance})
        return redirect("musicclass-list")

    return form_page(request, form, title=title, save=save, cancel=reverse("musicclass-list"))


@requires("ivr.add_musicclass")
def musicclass_add(request: HttpRequest) -> HttpResponse:
    return _class_form(request, None)


@requires("ivr.change_musicclass")
def musicclass_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _class_form(request, get_object_or_404(MusicClass, pk=pk))


@requires("ivr.delete_musicclass")
def musicclass_delete(request: HttpRequest, pk: int) -> HttpResponse:
    music_class = get_object_or_404(MusicClass, pk=pk)

    def delete(_form) -> HttpResponse:
        try:
            sounds.delete_class(music_class)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("musicclass-list")
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": music_class})
        return redirect("musicclass-list")

    return confirm_page(
        request, title=_("Delete %(name)s") % {"name": music_class},
        question=_("Delete the class “%(name)s”? Its music stays in the sounds.")
        % {"name": music_class}, button=_("Delete"), cancel=reverse("musicclass-list"),
        action=delete)

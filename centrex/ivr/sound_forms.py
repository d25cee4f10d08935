"""Forms of the sounds pages: one form for a sound whatever its source (a file, a text to
speak, a phone), and the music-on-hold class form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from centrex.ivr import sounds
from centrex.ivr.models import MusicClass, Sound

ACCEPT = "audio/*,.wav,.mp3,.ogg,.oga,.opus,.flac,.m4a,.aac,.wma,.gsm"


class SoundForm(forms.ModelForm):
    """``source`` says where the audio comes from; on a change, an empty file keeps the
    current audio and an unchanged text is not spoken again."""

    source = forms.ChoiceField(label=_("source"), choices=Sound.SOURCES,
                               widget=forms.RadioSelect, initial=Sound.UPLOAD)
    file = forms.FileField(label=_("sound file"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           help_text=_("WAV, MP3, OGG, FLAC, M4A... converted by Centrex."))

    class Meta:
        model = Sound
        fields = ["name", "kind", "comment", "source", "file", "language", "text"]
        widgets = {"kind": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.previous_source = self.instance.source if self.instance.pk else None
        self.fields["file"].help_text = _(
            "WAV, MP3, OGG, FLAC, M4A... converted by Centrex; at most %(mb)s MB, "
            "%(prompt)s s for a prompt, %(music)s s for music.") % {
            "mb": sounds.limit("MAX_UPLOAD_MB"), "prompt": sounds.max_seconds(Sound.PROMPT),
            "music": sounds.max_seconds(Sound.MUSIC)}
        self.fields["source"].help_text = _(
            "Recorded from a phone: Centrex calls your phone; speak after the beep, then "
            "hang up or press #.")
        if self.instance.pk:
            self.fields["file"].help_text += " " + str(_("Leave empty to keep the sound."))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > sounds.max_upload_bytes():
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.")
                                        % {"mb": sounds.limit("MAX_UPLOAD_MB")})
        if upload is not None and upload is not False and upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self) -> dict:
        data = super().clean()
        source = data.get("source")
        had_audio = self.instance.pk and self.instance.ready
        if source == Sound.UPLOAD and not data.get("file") and not (
                had_audio and self.instance.source == Sound.UPLOAD):
            self.add_error("file", _("Choose the sound file."))
        if source == Sound.TTS and not (data.get("text") or "").strip():
            self.add_error("text", _("Type the text the prompt must say."))
        if source == Sound.PHONE and not self.instance.pk and (
                self.user is None or not self.user.phones.exists()):
            self.add_error("source", _("You have no phone, so Centrex cannot call you to "
                                       "record."))
        return data

    def wants_call(self) -> bool:
        """Recorded from a phone, new or before from elsewhere: call right after saving."""
        return (self.cleaned_data["source"] == Sound.PHONE
                and self.previous_source != Sound.PHONE)


class MusicClassForm(forms.ModelForm):
    music = forms.ModelMultipleChoiceField(
        label=_("music"), queryset=Sound.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Played in the order of their names, or in random order."))

    class Meta:
        model = MusicClass
        fields = ["name", "description", "shuffle"]
        help_texts = {"name": _("The name queues use (musicclass); “default” is Asterisk's "
                                "own music.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["music"].queryset = Sound.objects.filter(kind=Sound.MUSIC).order_by("name")
        if self.instance.pk:
            self.initial["music"] = [e.sound_id for e in self.instance.entries.all()]

    def chosen(self) -> list[Sound]:
        return sorted(self.cleaned_data.get("music") or [], key=lambda s: s.name)

"""Sounds (prompts and music on hold) and music-on-hold classes (docs/sounds.md).

A sound's audio lives in files Centrex writes next to Asterisk (centrex/ivr/sounds.py), named
after the row's primary key, never after what a user typed: the name a user gives is only a
label, so it cannot reach a path or a dialplan line.
"""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from centrex.core.validators import validate_safe_name

__all__ = ["MOH_CLASS_RE", "MusicClass", "MusicClassSound", "Sound"]

# A music-on-hold class is named in musiconhold.conf (a section) and in queues.conf
# (musicclass=): lowercase letters, digits, dashes and underscores.
MOH_CLASS_RE = re.compile(r"[a-z][a-z0-9_-]{0,29}")


class Sound(models.Model):
    """A prompt (played by applications, queues...) or a piece of music on hold."""

    PROMPT, MUSIC = "prompt", "music"
    KINDS = [(PROMPT, _("Prompt")), (MUSIC, _("Music on hold"))]
    UPLOAD, TTS, PHONE = "upload", "tts", "phone"
    SOURCES = [(UPLOAD, _("Uploaded file")), (TTS, _("Text-to-speech")),
               (PHONE, _("Recorded from a phone"))]
    LANGUAGES = [("fr", _("French")), ("en", _("English"))]

    name = models.CharField(_("name"), max_length=60, unique=True,
                            validators=[validate_safe_name],
                            error_messages={"unique": _("A sound already has this name.")})
    kind = models.CharField(_("type"), max_length=6, choices=KINDS, default=PROMPT)
    source = models.CharField(_("source"), max_length=6, choices=SOURCES, default=UPLOAD)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fr")
    text = models.TextField(_("text"), blank=True, max_length=2000,
                            help_text=_("Text-to-speech: what the prompt says."))
    comment = models.CharField(_("comments"), max_length=200, blank=True)
    original_name = models.CharField(_("original file"), max_length=200, blank=True)
    duration = models.FloatField(_("duration (s)"), default=0)
    # Bumped at every new audio (upload, regeneration): the files are rewritten atomically.
    revision = models.PositiveIntegerField(default=0)
    # False until the files exist (a phone recording in progress, a failed conversion).
    ready = models.BooleanField(_("ready"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sound")
        verbose_name_plural = _("sounds")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sound-detail", args=[self.pk])

    @property
    def file_base(self) -> str:
        """The files' name without extension, in the sounds folder (sound-<pk>)."""
        return f"sound-{int(self.pk)}"


class MusicClass(models.Model):
    """A music-on-hold class: several music files played in turn (musiconhold.conf)."""

    name = models.CharField(
        _("name"), max_length=30, unique=True,
        validators=[RegexValidator(rf"\A(?:{MOH_CLASS_RE.pattern})\Z",
                                   _("Lowercase letters, digits, - and _, starting with a "
                                     "letter (up to 30)."))],
        error_messages={"unique": _("A music class already has this name.")})
    description = models.CharField(_("description"), max_length=200, blank=True,
                                   validators=[validate_safe_name])
    shuffle = models.BooleanField(_("random order"), default=False)
    sounds = models.ManyToManyField(Sound, through="MusicClassSound", related_name="classes",
                                    verbose_name=_("music"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("music-on-hold class")
        verbose_name_plural = _("music-on-hold classes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("musicclass-edit", args=[self.pk])


class MusicClassSound(models.Model):
    music_class = models.ForeignKey(MusicClass, on_delete=models.CASCADE,
                                    related_name="entries")
    sound = models.ForeignKey(Sound, on_delete=models.PROTECT, related_name="class_entries")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["music_class", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["music_class", "sound"],
                                               name="ivr_music_class_sound_once")]

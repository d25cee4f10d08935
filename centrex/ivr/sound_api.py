"""REST API of the sounds part (registered in centrex/api/main.py): ``/sounds`` and
``/music-classes`` (docs/sounds.md).

A sound is created with its text (text-to-speech: the prompt is spoken at once) or without
audio, then given a file with ``POST /sounds/{id}/audio`` (multipart, any common format),
or recorded with ``POST /sounds/{id}/record`` (Centrex calls the caller's phone). Every
signed-in caller reads sounds and classes (callers hear them anyway; applications and
queues name them), like ring groups; writing and downloading the audio need the
``ivr.*_sound`` / ``ivr.*_musicclass`` permissions. Bad audio is a 400 and changes nothing.
"""

import base64
import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from centrex.api.auth import may
from centrex.api.common import MAX_ID, ObjectId, assign, find, responses
from centrex.api.crud import Resource
from centrex.ivr import sounds
from centrex.ivr.models import MusicClass, Sound

router = Router(tags=["sounds"])
CHANGE = "ivr.change_sound"


def _everyone(user, queryset: QuerySet) -> QuerySet:
    return queryset


# -- sounds ---------------------------------------------------------------------------------
class SoundIn(Schema):
    name: str = Field(max_length=60)
    kind: str = Field(Sound.PROMPT, description="“prompt” or “music”.",
                      json_schema_extra={"enum": [Sound.PROMPT, Sound.MUSIC]})
    comment: str = Field("", max_length=200)
    language: str = Field("fr", json_schema_extra={"enum": ["fr", "en"]},
                          description="Language of the text-to-speech voice.")
    text: str = Field("", max_length=2000, description="Not empty: the prompt is spoken by "
                      "text-to-speech (again only when the text or language changes).")


class SoundOut(Schema):
    id: int
    name: str
    kind: str
    source: str = Field(description="“upload”, “tts” or “phone”.")
    comment: str
    language: str
    text: str
    original_name: str
    duration: float = Field(description="Seconds.")
    ready: bool = Field(description="The audio exists and Asterisk can play it.")
    revision: int = Field(description="Bumped at every new audio.")
    asterisk_path: str = Field(description="What Playback() takes in the dialplan.")
    created: datetime.datetime
    updated: datetime.datetime

    @staticmethod
    def resolve_asterisk_path(sound: Sound) -> str:
        return sounds.asterisk_path(sound) if sound.pk else ""


class AudioOut(Schema):
    id: int
    filename: str
    audio: str | None = Field(description="The original file, base64; null while the "
                                          "sound has no audio.")


class Sounds(Resource):
    model = Sound
    scope = staticmethod(_everyone)
    schema_in, schema_out = SoundIn, SoundOut
    search = ("name", "comment", "text")
    sorts = ("name", "kind", "duration", "created")

    def create(self, request: HttpRequest, values: dict) -> Sound:
        return self.update(request, Sound(), values)

    def update(self, request: HttpRequest, sound: Sound, values: dict) -> Sound:
        assign(sound, values)
        if sound.text.strip():
            return sounds.save_tts(sound)
        if sound.source == Sound.TTS:
            raise ValidationError({"text": _("Type the text the prompt must say.")})
        return sounds.save_details(sound)

    def delete(self, request: HttpRequest, sound: Sound) -> None:
        sounds.delete(sound)


sound_router = Sounds().register(Router(tags=["sounds"]))


@sound_router.post("/{id}/audio", response=responses({200: SoundOut}, 400, 403),
                   auth=may(CHANGE), operation_id="upload_sound_audio",
                   summary="Give a sound its audio (a file)")
def upload_audio(request: HttpRequest, id: ObjectId, file: File[UploadedFile]):
    """Multipart field ``file``: WAV, MP3, OGG, FLAC, M4A...; converted by Centrex."""
    return sounds.save_upload(find(Sounds().visible(request), id), file)


@sound_router.get("/{id}/audio", response=responses({200: AudioOut}), auth=may("ivr.view_sound"),
                  operation_id="get_sound_audio", summary="Download a sound's original file")
def get_audio(request: HttpRequest, id: ObjectId):
    sound = find(Sounds().visible(request), id)
    path = sounds.original_file(sound) if sound.ready else None
    return {"id": sound.pk, "filename": sounds.download_name(sound) if path else "",
            "audio": base64.b64encode(path.read_bytes()).decode() if path else None}


@sound_router.post("/{id}/record", response=responses({202: SoundOut}, 403, 409),
                   auth=may(CHANGE), operation_id="record_sound",
                   summary="Record a sound from your phone")
def record(request: HttpRequest, id: ObjectId):
    """Centrex calls your phone; after the beep, speak, then hang up or press #. The sound
    gets the recording (``revision`` goes up) once the call is over."""
    sound = find(Sounds().visible(request), id)
    try:
        sounds.record_from_phone(sound, request.auth)
    except sounds.RecordError as exc:
        raise HttpError(409, str(exc)) from exc
    return Status(202, sound)


# -- music classes ----------------------------------------------------------------------------
class MusicClassIn(Schema):
    name: str = Field(max_length=30, json_schema_extra={"pattern": "^[a-z][a-z0-9_-]{0,29}$"})
    description: str = Field("", max_length=200)
    shuffle: bool = False
    music: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=200,
        description="Ids of the music sounds, in play order.")


class MusicClassOut(Schema):
    id: int
    name: str
    description: str
    shuffle: bool
    music: list[int]

    @staticmethod
    def resolve_music(music_class: MusicClass) -> list[int]:
        return [e.sound_id for e in music_class.entries.all()] if music_class.pk else []


class MusicClasses(Resource):
    model = MusicClass
    scope = staticmethod(_everyone)
    schema_in, schema_out = MusicClassIn, MusicClassOut
    search = ("name", "description")
    sorts = ("name",)
    write_errors = (400, 403, 409, 503)

    def create(self, request: HttpRequest, values: dict) -> MusicClass:
        return self.update(request, MusicClass(), values)

    def update(self, request: HttpRequest, music_class: MusicClass, values: dict) -> MusicClass:
        ids = values.pop("music", None)
        assign(music_class, values)
        if ids is None:
            chosen = [e.sound for e in music_class.entries.select_related("sound")]
        else:
            found = Sound.objects.in_bulk(ids)
            missing = [str(i) for i in ids if i not in found]
            if missing:
                raise ValidationError({"music": _("No sound has the id %(ids)s.")
                                       % {"ids": ", ".join(missing)}})
            chosen = [found[i] for i in ids]
        return sounds.save_class(music_class, chosen)

    def delete(self, request: HttpRequest, music_class: MusicClass) -> None:
        sounds.delete_class(music_class)


router.add_router("/sounds", sound_router)
router.add_router("/music-classes",
                  MusicClasses().register(Router(tags=["music-on-hold classes"])))

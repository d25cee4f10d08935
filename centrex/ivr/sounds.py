"""Sounds and music-on-hold classes: their files next to Asterisk (docs/sounds.md).

Pages, the API and tests call these functions, never ``save()``, so that a sound's row and
its files always agree: the audio is checked and converted first, then the files are
renamed into place (a caller hears the old sound or the new one, never half a file), then
the row says ``ready``. Bad audio raises ``ValidationError`` and changes nothing.

Folder ``<spool>/centrex-sounds/`` (Asterisk's spool, as Centrex sees it)::

    sound-<pk>.sln16 .sln .alaw .ulaw .g722   what Asterisk plays (it picks the format)
    listen/sound-<pk>.wav                      what the page plays
    originals/sound-<pk>.<ext>                 the file as uploaded (download)
    incoming/take-<pk>-<revision>.wav (.done)  a recording from a phone, written by Asterisk
    moh/<class> -> .<class>-<fingerprint>/     a music class: a link to a complete folder
    .work/                                     staging (same file system: renames are atomic)
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _

from centrex.ivr import sound_audio as audio
from centrex.ivr.models import MusicClass, MusicClassSound, Sound
from centrex.pbx.connection import NotConfigured, target

log = logging.getLogger("centrex.ivr.sounds")

DIR = "centrex-sounds"
TAKE_RE = re.compile(r"take-(?P<pk>[0-9]{1,18})-(?P<revision>[0-9]{1,9})")
EXT_RE = re.compile(r"[a-z0-9]{1,5}")
RESERVED_CLASSES = ("default",)
DEFAULT_LIMITS = {"MAX_UPLOAD_MB": 50, "MAX_PROMPT_SECONDS": 300, "MAX_MUSIC_SECONDS": 600,
                  "RECORD_SILENCE_SECONDS": 3}


# -- what other parts use ------------------------------------------------------------------
def asterisk_path(sound: Sound) -> str:
    """What ``Playback()`` takes to play ``sound`` (no extension: Asterisk picks the
    format that suits the channel)."""
    return f"${{ASTSPOOLDIR}}/{DIR}/{sound.file_base}"


def prompts() -> QuerySet[Sound]:
    """Prompts that can be played (their files exist), by name."""
    return Sound.objects.filter(kind=Sound.PROMPT, ready=True).order_by("name")


def music_classes() -> QuerySet[MusicClass]:
    """Classes Asterisk knows: those with at least one piece of music ready."""
    return (MusicClass.objects.filter(entries__sound__ready=True).distinct().order_by("name"))


def limit(name: str) -> int:
    """A limit of ``settings.CENTREX_SOUNDS`` (docs/sounds.md), with its default."""
    return int(getattr(settings, "CENTREX_SOUNDS", {}).get(name, DEFAULT_LIMITS[name]))


def max_seconds(kind: str) -> int:
    return limit("MAX_MUSIC_SECONDS" if kind == Sound.MUSIC else "MAX_PROMPT_SECONDS")


def max_upload_bytes() -> int:
    return limit("MAX_UPLOAD_MB") * 1024 * 1024


# -- folders ---------------------------------------------------------------------------------
def root() -> Path:
    """The sounds folder as Centrex sees it (created, readable by Asterisk)."""
    folder = Path(target().spool_dir) / DIR
    for sub in ("", "listen", "originals", "incoming", "moh", ".work"):
        _folder(folder / sub)
    return folder


def asterisk_root() -> str:
    """The same folder as Asterisk sees it: inside the chroot for the managed instance;
    the configured spool folder in external mode (the same files, e.g. a shared mount)."""
    try:
        conn = target()
    except NotConfigured:
        return f"{settings.CENTREX_ASTERISK['SPOOL_DIR']}/{DIR}"
    if conn.instance is not None:
        return f"{conn.instance.chroot_dir}/spool/{DIR}"
    return f"{conn.spool_dir}/{DIR}"


def _owner(path: Path) -> None:
    """Running as root (the managed runtime): the spool folder's owner (Asterisk) owns it,
    so Asterisk can read it and write its recordings."""
    if os.geteuid() == 0:
        st = Path(target().spool_dir).stat()
        os.chown(path, st.st_uid, st.st_gid, follow_symlinks=False)


def _folder(path: Path) -> Path:
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o755)  # noqa: S103 - Asterisk's user reads the sounds
        _owner(path)
    return path


def _place(staged: Path, final: Path) -> None:
    """Move a complete file into place in one rename, readable by Asterisk."""
    os.chmod(staged, 0o644)
    _owner(staged)
    os.replace(staged, final)


@contextlib.contextmanager
def _staging() -> Iterator[Path]:
    work = Path(tempfile.mkdtemp(prefix="stage-", dir=root() / ".work"))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def files_of(sound: Sound) -> list[Path]:
    """Every file of ``sound`` that exists."""
    if sound.pk is None:
        return []
    try:
        base = root()
    except NotConfigured:
        return []
    return sorted([*base.glob(f"{sound.file_base}.*"),
                   *(base / "listen").glob(f"{sound.file_base}.*"),
                   *(base / "originals").glob(f"{sound.file_base}.*")])


def listen_file(sound: Sound) -> Path | None:
    path = root() / "listen" / f"{sound.file_base}.wav"
    return path if sound.ready and path.is_file() else None


def original_file(sound: Sound) -> Path | None:
    found = sorted((root() / "originals").glob(f"{sound.file_base}.*"))
    return found[0] if sound.ready and found else None


def download_name(sound: Sound) -> str:
    """The original's name (as uploaded when it was), safe in a header."""
    path = original_file(sound)
    ext = path.suffix if path else ".wav"
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(sound.original_name or sound.name).stem)
    return f"{stem.strip('._') or sound.file_base}{ext}"


# -- audio in ----------------------------------------------------------------------------------
def _extension(name: str) -> str:
    ext = Path(name).suffix.lower().lstrip(".")
    return ext if EXT_RE.fullmatch(ext) else "bin"


def _install(sound: Sound, source: Path, work: Path, original_ext: str) -> None:
    """Check and convert ``source`` (in ``work``), move the files into place and mark the
    sound ready with a new revision. ``sound`` must be saved (the files carry its pk)."""
    info = audio.probe(source)
    audio.check_duration(info.duration, max_seconds(sound.kind))
    outputs = audio.convert(source, work, sound.file_base, max_seconds(sound.kind))
    base = root()
    original = base / "originals" / f"{sound.file_base}.{original_ext}"
    _place(source, original)
    for old in (base / "originals").glob(f"{sound.file_base}.*"):
        if old != original:
            old.unlink(missing_ok=True)
    _place(outputs.pop("wav"), base / "listen" / f"{sound.file_base}.wav")
    for ext, path in sorted(outputs.items()):
        _place(path, base / f"{sound.file_base}.{ext}")
    sound.duration = round(info.duration, 2)
    sound.revision += 1
    sound.ready = True
    sound.save()


@contextlib.contextmanager
def _saving(sound: Sound) -> Iterator[None]:
    """One transaction for the row and, for music, the classes' folders and Asterisk (a
    class plays the new audio only after musiconhold.conf is reloaded)."""
    music = sound.kind == Sound.MUSIC or Sound.objects.filter(
        pk=sound.pk, kind=Sound.MUSIC).exists()
    if not music or not MusicClassSound.objects.filter(sound_id=sound.pk).exists():
        with transaction.atomic():
            yield
        return
    with music_applied():
        yield


def _checked(sound: Sound) -> None:
    sound.full_clean()
    if sound.kind != Sound.MUSIC and sound.pk and sound.class_entries.exists():
        raise ValidationError({"kind": _("This music is in a music-on-hold class: remove it "
                                         "from the class first.")})
    sound.save()


def save_upload(sound: Sound, upload: UploadedFile) -> Sound:
    """Create or change ``sound`` with an uploaded file (any format ffmpeg reads)."""
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > max_upload_bytes():
        raise ValidationError({"file": _("The file is larger than %(mb)s MB.")
                               % {"mb": limit("MAX_UPLOAD_MB")}})
    ext = _extension(upload.name or "")
    with _staging() as work:
        source = work / f"upload.{ext}"
        with source.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            audio.check_duration(audio.probe(source).duration, max_seconds(sound.kind))
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        sound.source = Sound.UPLOAD
        sound.original_name = Path(upload.name or "").name[:200]
        with _saving(sound):
            _checked(sound)
            _install(sound, source, work, ext)
    return sound


def save_tts(sound: Sound, force: bool = False) -> Sound:
    """Create or change a text-to-speech sound; the audio is made again only when the
    text or the language changed (or ``force``)."""
    sound.text = (sound.text or "").strip()
    if not sound.text:
        raise ValidationError({"text": _("Type the text the prompt must say.")})
    before = Sound.objects.filter(pk=sound.pk).values("text", "language", "ready").first()
    unchanged = (before is not None and before["ready"] and before["text"] == sound.text
                 and before["language"] == sound.language and sound.source == Sound.TTS)
    sound.source = Sound.TTS
    sound.original_name = ""
    with _saving(sound):
        _checked(sound)
        if unchanged and not force:
            return sound
        with _staging() as work:
            wav = work / "speech.wav"
            try:
                audio.speak(sound.text, sound.language, wav)
                _install(sound, wav, work, "wav")
            except ValidationError as exc:
                raise ValidationError({"text": exc.messages}) from exc
    return sound


def save_details(sound: Sound) -> Sound:
    """Change only the name, type and comment (the audio stays)."""
    with _saving(sound):
        _checked(sound)
    return sound


def delete(sound: Sound) -> None:
    """Delete the row, then the files. Refused while a class or an application uses it."""
    files = files_of(sound)
    try:
        with transaction.atomic():
            sound.delete()
    except ProtectedError as exc:
        users = sorted({str(obj) for obj in exc.protected_objects})
        raise ValidationError(_("“%(name)s” is still used by: %(users)s.") % {
            "name": sound, "users": ", ".join(users)}) from exc
    for path in files:
        path.unlink(missing_ok=True)


# -- recording from a phone -------------------------------------------------------------------
class RecordError(Exception):
    """Asterisk could not call the phone; the message is for the user."""


def take_name(sound: Sound) -> str:
    return f"take-{int(sound.pk)}-{int(sound.revision)}"


def record_from_phone(sound: Sound, user) -> str:
    """Asterisk calls ``user``'s phone; after the beep they speak, then hang up, press #
    or stay silent. The recording replaces the sound's audio once it is collected
    (``collect``) — unless another audio arrived meanwhile. Returns the extension called."""
    from centrex.ivr import sound_confgen
    from centrex.pbx.ami.client import AMIError
    from centrex.pbx.ami.sync import run_action

    phone = user.phones.order_by("extension").first() if user.is_authenticated else None
    if phone is None:
        raise RecordError(_("You have no phone, so Centrex cannot call you to record."))
    root()  # the incoming folder exists and Asterisk may write into it
    try:
        run_action(
            target().ami, "Originate", Channel=f"PJSIP/{phone.sip_username}",
            Context=sound_confgen.RECORD_CONTEXT, Exten="s", Priority="1",
            CallerID=f'"Centrex" <{phone.extension}>', Timeout="30000", Async="true",
            Variable=[f"CENTREX_SOUND_TAKE={take_name(sound)}",
                      f"CENTREX_SOUND_MAX={max_seconds(sound.kind)}",
                      f"CENTREX_SOUND_SILENCE={limit('RECORD_SILENCE_SECONDS')}"])
    except (AMIError, NotConfigured, OSError, TimeoutError) as exc:
        raise RecordError(_("Asterisk could not call your phone: %(error)s")
                          % {"error": exc}) from exc
    return phone.extension


def collect() -> list[Sound]:
    """Turn the finished phone recordings (``incoming/take-*.done``, written by the
    dialplan once the call is over) into the sounds' audio; returns the sounds changed.
    Safe to run from several places at once: a take is claimed by renaming its marker."""
    try:
        incoming = root() / "incoming"
    except NotConfigured:
        return []
    changed = []
    for marker in sorted(incoming.glob("take-*.done")):
        match = TAKE_RE.fullmatch(marker.stem)
        claimed = marker.with_suffix(".claimed")
        try:
            os.rename(marker, claimed)
        except FileNotFoundError:
            continue  # another collect took it
        wav = marker.with_suffix(".wav")
        try:
            sound = _take_sound(match)
            if sound is not None and wav.is_file():
                with _staging() as work, _saving(sound):
                    staged = work / "take.wav"
                    os.replace(wav, staged)
                    sound.source = Sound.PHONE
                    sound.original_name = ""
                    _install(sound, staged, work, "wav")
                changed.append(sound)
        except ValidationError as exc:
            log.warning("phone recording %s refused: %s", marker.stem, "; ".join(exc.messages))
        finally:
            claimed.unlink(missing_ok=True)
            wav.unlink(missing_ok=True)
    return changed


def _take_sound(match: re.Match | None) -> Sound | None:
    """The sound a take belongs to, if no other audio replaced it since the call."""
    if match is None:
        return None
    sound = Sound.objects.filter(pk=int(match["pk"])).first()
    if sound is None or sound.revision != int(match["revision"]):
        return None
    return sound


def on_recorded(message) -> None:
    """AMI ``UserEvent: CentrexSoundRecorded`` (the dialplan, once the call is over)."""
    if message.get("UserEvent") == "CentrexSoundRecorded":
        collect()


# -- music-on-hold classes ------------------------------------------------------------------
def fingerprint(entries: Iterable[tuple[int, int]]) -> str:
    """A class's content, ``(sound pk, revision)`` in order: names its folder version and
    goes into musiconhold.conf, so new music makes Asterisk reload the class."""
    text = ",".join(f"{pk}.{rev}" for pk, rev in entries)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def class_entries(music_class: MusicClass) -> list[tuple[int, int]]:
    """The ready music of a class, in play order: ``(sound pk, revision)``."""
    return [(e.sound_id, e.sound.revision) for e in music_class.entries.select_related("sound")
            .filter(sound__ready=True).order_by("position", "pk")]


def sync_music_folders() -> None:
    """Make ``moh/<class>`` match the database for every class: a complete new folder
    (hard links to the sounds' files) is built beside it, then the link is switched in one
    rename, so Asterisk never reads a half-made class. Old versions and removed classes go."""
    moh = root() / "moh"
    keep: set[str] = set()
    for music_class in MusicClass.objects.order_by("name"):
        entries = class_entries(music_class)
        if not entries:
            continue
        version = f".{music_class.name}-{fingerprint(entries)}"
        keep.update({music_class.name, version})
        folder = moh / version
        if not folder.is_dir():
            _build_class_folder(folder, entries)
        link = moh / music_class.name
        if not (link.is_symlink() and os.readlink(link) == version):
            staged = moh / f".link-{music_class.name}-{os.getpid()}"
            staged.unlink(missing_ok=True)
            os.symlink(version, staged)
            _owner(staged)
            os.replace(staged, link)
    for path in moh.iterdir():
        if path.name not in keep and not path.name.startswith(".link-"):
            if path.is_symlink() or path.is_file():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)


def _build_class_folder(folder: Path, entries: Sequence[tuple[int, int]]) -> None:
    base = root()
    with _staging() as work:
        staged = _folder(work / "class")
        for position, (pk, _rev) in enumerate(entries, start=1):
            for ext in audio.FORMATS:
                src = base / f"sound-{pk}.{ext}"
                if src.exists():
                    os.link(src, staged / f"{position:03d}-sound-{pk}.{ext}")
        os.replace(staged, folder)


@contextlib.contextmanager
def music_applied() -> Iterator[None]:
    """The change, the class folders and the apply in one transaction: when Asterisk
    refuses, the rows roll back and the folders are made to match them again."""
    from centrex.telephony.services import applied

    try:
        with applied():
            yield
            sync_music_folders()
    except BaseException:
        with contextlib.suppress(Exception):
            sync_music_folders()
        raise


def save_class(music_class: MusicClass, sounds: Sequence[Sound]) -> MusicClass:
    """Create or change a class with its music, in play order."""
    if music_class.name in RESERVED_CLASSES:
        raise ValidationError({"name": _("“default” is Asterisk's own class; choose "
                                         "another name.")})
    not_music = [str(s) for s in sounds if s.kind != Sound.MUSIC]
    if not_music:
        raise ValidationError({"sounds": _("Only music on hold goes into a class, not: "
                                           "%(names)s.") % {"names": ", ".join(not_music)}})
    with music_applied():
        music_class.full_clean()
        music_class.save()
        music_class.entries.all().delete()
        MusicClassSound.objects.bulk_create([
            MusicClassSound(music_class=music_class, sound=s, position=i)
            for i, s in enumerate(dict.fromkeys(sounds))])
    return music_class


def delete_class(music_class: MusicClass) -> None:
    """Refused while a queue plays it."""
    from centrex.contact_center.models import Queue

    queues = list(Queue.objects.filter(music_on_hold=music_class.name)
                  .values_list("name", flat=True))
    if queues:
        raise ValidationError(_("The queues %(queues)s play this music: choose another one "
                                "for them first.") % {"queues": ", ".join(queues)})
    with music_applied():
        music_class.delete()


def music_choices(current: str = "") -> list[tuple[str, str]]:
    """The queue form's music on hold: Asterisk's default, then the classes."""
    choices = [("default", _("default (Asterisk's music)"))]
    choices += [(c.name, f"{c.name} — {c.description}" if c.description else c.name)
                for c in music_classes()]
    if current and current not in dict(choices):
        choices.append((current, current))
    return choices

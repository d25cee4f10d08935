"""Sounds and music on hold against the session's real Asterisk (docs/sounds.md): real files
made with ffmpeg in the test, text-to-speech with espeak-ng, music classes loaded by
Asterisk, pages and API, and a prompt recorded from a SIPp phone. Extensions 3500-3549.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from centrex.contact_center.forms import QueueForm
from centrex.core import roles
from centrex.ivr import sound_confgen, sounds
from centrex.ivr.models import MusicClass, Sound
from tests.factories import api_client, client_for, user_for
from tests.integration.helpers import reachable
from tests.integration.test_calls import new_line, wait_for
from tests.sipp import alaw_tone, free_udp_port, remote_rtp, wait_udp_bound

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
SILENCE = bytes([0xD5]) * 8000  # one second of A-law silence


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the portal is French by default)."""
    with translation.override("en"):
        yield


def tone_file(tmp_path: Path, ext: str, seconds: float = 2.0, codec: list[str] = ()) -> Path:
    """A real audio file made by ffmpeg (a 440 Hz tone, 44.1 kHz stereo)."""
    path = tmp_path / f"tone.{ext}"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}:sample_rate=44100", "-ac", "2",
                    *codec, str(path)], check=True, timeout=60)
    return path


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def files(sound: Sound) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in sounds.files_of(sound)}


# -- uploads --------------------------------------------------------------------------------
@pytest.mark.parametrize(("ext", "codec"), [("wav", []), ("mp3", ["-c:a", "libmp3lame"]),
                                            ("ogg", ["-c:a", "libvorbis"])])
def test_upload_is_converted_to_every_format_asterisk_plays(asterisk, tmp_path, ext, codec):
    sound = sounds.save_upload(Sound(name=f"Welcome {ext}"), upload(tone_file(tmp_path, ext,
                                                                               codec=codec)))
    sound.refresh_from_db()
    assert sound.ready and sound.revision == 1 and 1.9 <= sound.duration <= 2.2
    base = sounds.root()
    # 2 s: 16 kHz and 8 kHz signed linear (2 bytes a sample), G.711 (1 byte at 8 kHz),
    # G.722 (64 kbit/s)
    sizes = {e: (base / f"{sound.file_base}.{e}").stat().st_size
             for e in ("sln16", "sln", "alaw", "ulaw", "g722")}
    assert 60000 <= sizes["sln16"] <= 66000 and 30000 <= sizes["sln"] <= 33000
    assert 15000 <= sizes["alaw"] <= 17000 and 15000 <= sizes["ulaw"] <= 17000
    assert 15000 <= sizes["g722"] <= 17000
    assert (base / f"{sound.file_base}.sln16").stat().st_mode & 0o777 == 0o644
    assert (base / "originals" / f"{sound.file_base}.{ext}").read_bytes() == (
        tmp_path / f"tone.{ext}").read_bytes()
    assert sounds.asterisk_path(sound) == f"${{ASTSPOOLDIR}}/centrex-sounds/sound-{sound.pk}"
    assert sound in sounds.prompts()
    # Asterisk finds the file by the path the applications use, in its own spool folder
    out = asterisk.cli("core show file formats")
    assert "sln16" in out and "g722" in out


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "empty.wav", "empty"),
    (b"this is not a sound at all\n" * 20, "notes.mp3", "not a sound"),
    (b"%PDF-1.4 fake", "report.pdf", "not a sound"),
])
def test_bad_files_are_refused_and_change_nothing(asterisk, content, name, message):
    with pytest.raises(ValidationError) as refused:
        sounds.save_upload(Sound(name="Broken"), SimpleUploadedFile(name, content))
    assert message in " ".join(refused.value.messages)
    assert not Sound.objects.filter(name="Broken").exists()


def test_too_long_and_too_large_are_refused(asterisk, tmp_path):
    long_file = tone_file(tmp_path, "wav", seconds=4)
    with override_settings(CENTREX_SOUNDS={"MAX_PROMPT_SECONDS": 3}), \
            pytest.raises(ValidationError) as too_long:
        sounds.save_upload(Sound(name="Long"), upload(long_file))
    assert "at most 3 s" in " ".join(too_long.value.messages)
    with override_settings(CENTREX_SOUNDS={"MAX_UPLOAD_MB": 0}), \
            pytest.raises(ValidationError) as too_big:
        sounds.save_upload(Sound(name="Big"), upload(long_file))
    assert "larger than 0 MB" in " ".join(too_big.value.messages)
    assert not Sound.objects.filter(name__in=["Long", "Big"]).exists()


def test_a_bad_new_file_keeps_the_old_audio(asterisk, tmp_path):
    sound = sounds.save_upload(Sound(name="Keep me"), upload(tone_file(tmp_path, "wav")))
    before = files(sound)
    with pytest.raises(ValidationError):
        sounds.save_upload(Sound.objects.get(pk=sound.pk),
                           SimpleUploadedFile("x.wav", b"RIFF garbage"))
    sound.refresh_from_db()
    assert sound.ready and sound.revision == 1 and files(sound) == before


# -- text-to-speech ------------------------------------------------------------------------
def test_text_to_speech_in_french_and_english_and_regenerated_on_change(asterisk):
    fr = sounds.save_tts(Sound(name="Bonjour", text="Bonjour, merci de patienter.",
                               language="fr"))
    en = sounds.save_tts(Sound(name="Hello", text="Hello, please hold.", language="en"))
    for sound in (fr, en):
        sound.refresh_from_db()
        assert sound.ready and sound.source == Sound.TTS and sound.duration > 0.5
        assert (sounds.root() / f"{sound.file_base}.sln16").stat().st_size > 10000
    sounds.save_tts(Sound.objects.get(pk=fr.pk))  # same text: not spoken again
    assert Sound.objects.get(pk=fr.pk).revision == 1
    changed = Sound.objects.get(pk=fr.pk)
    changed.text = "Bonjour; -v en --help $(reboot) `id` ; tous nos conseillers sont occupés."
    sounds.save_tts(changed)
    changed.refresh_from_db()
    assert changed.revision == 2 and changed.duration > fr.duration


# -- music on hold --------------------------------------------------------------------------
def test_music_classes_are_loaded_by_asterisk_and_removed(asterisk, tmp_path):
    one = sounds.save_upload(Sound(name="Jazz one", kind=Sound.MUSIC),
                             upload(tone_file(tmp_path, "wav")))
    two = sounds.save_upload(Sound(name="Jazz two", kind=Sound.MUSIC),
                             upload(tone_file(tmp_path, "ogg", codec=["-c:a", "libvorbis"])))
    jazz = sounds.save_class(MusicClass(name="jazz", description="Jazz"), [one, two])
    shown = asterisk.cli("moh show classes")
    assert "Class: jazz" in shown and "/spool/centrex-sounds/moh/jazz" in shown, shown
    folder = sounds.root() / "moh" / "jazz"
    assert folder.is_symlink()
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".sln16") == [
        f"001-sound-{one.pk}.sln16", f"002-sound-{two.pk}.sln16"]
    # new music for a class: a new folder, and Asterisk reloads the class
    before = (sounds.root() / "moh" / "jazz").resolve()
    sounds.save_upload(Sound.objects.get(pk=one.pk), upload(tone_file(tmp_path, "wav", 1.0)))
    assert (sounds.root() / "moh" / "jazz").resolve() != before and not before.exists()
    assert "[music " in (asterisk.etc_dir / "centrex_musiconhold.conf").read_text()
    # a queue can choose it; Asterisk's default stays offered
    choices = dict(QueueForm().fields["music_on_hold"].choices)
    assert "default" in choices and "jazz" in choices
    with pytest.raises(ValidationError):
        sounds.save_class(MusicClass(name="default"), [one])
    with pytest.raises(ValidationError):  # a prompt is no music
        sounds.save_class(MusicClass(name="bad"), [sounds.save_tts(Sound(name="P", text="p"))])
    with pytest.raises(ValidationError):  # music of a class cannot be deleted
        sounds.delete(Sound.objects.get(pk=one.pk))
    sounds.delete_class(jazz)
    assert "Class: jazz" not in asterisk.cli("moh show classes")
    assert not (sounds.root() / "moh" / "jazz").exists()


# -- pages and API ----------------------------------------------------------------------------
def test_pages_upload_listen_with_range_download_and_delete(asterisk, tmp_path):
    admin = user_for(roles.ADMIN)
    page = client_for(admin, HTTP_ACCEPT_LANGUAGE="en")
    wav = tone_file(tmp_path, "wav")
    with wav.open("rb") as fh:
        response = page.post("/manage/sounds/new/", {
            "name": "Accueil", "kind": "prompt", "comment": "Standard", "source": "upload",
            "language": "fr", "text": "", "file": fh})
    assert response.status_code == 302, response.content.decode()[:3000]
    sound = Sound.objects.get(name="Accueil")
    listing = page.get("/manage/sounds/").content.decode()
    assert "Accueil" in listing and f"/manage/sounds/{sound.pk}/audio/" in listing
    part = page.get(f"/manage/sounds/{sound.pk}/audio/", HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part["Content-Range"].startswith("bytes 0-99/")
    assert b"".join(part.streaming_content)[:4] == b"RIFF"
    whole = page.get(f"/manage/sounds/{sound.pk}/audio/?download=1")
    assert whole.status_code == 200 and "tone.wav" in whole["Content-Disposition"]
    assert b"".join(whole.streaming_content) == wav.read_bytes()
    refused = page.post("/manage/sounds/new/", {
        "name": "Rubbish", "kind": "prompt", "source": "upload", "language": "fr",
        "file": SimpleUploadedFile("x.mp3", b"not audio" * 10)})
    assert refused.status_code == 200 and "not a sound" in refused.content.decode()
    assert not Sound.objects.filter(name="Rubbish").exists()
    assert page.post(f"/manage/sounds/{sound.pk}/delete/").status_code == 302
    assert not Sound.objects.filter(pk=sound.pk).exists() and not sounds.files_of(sound)


def test_api_text_to_speech_upload_and_classes(asterisk, tmp_path):
    admin = user_for(roles.ADMIN)
    api = api_client(admin)
    made = api.post("/api/v1/sounds", {"name": "Api prompt", "text": "Hello", "language": "en"},
                    content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["ready"] and made.json()["asterisk_path"].endswith(
        f"sound-{made.json()['id']}")
    music = api.post("/api/v1/sounds", {"name": "Api music", "kind": "music"},
                     content_type="application/json").json()
    with tone_file(tmp_path, "mp3", codec=["-c:a", "libmp3lame"]).open("rb") as fh:
        sent = api.post(f"/api/v1/sounds/{music['id']}/audio", {"file": fh})
    assert sent.status_code == 200 and sent.json()["ready"], sent.content
    bad = api.post(f"/api/v1/sounds/{music['id']}/audio",
                   {"file": SimpleUploadedFile("a.wav", b"")})
    assert bad.status_code == 400
    made_class = api.post("/api/v1/music-classes", {"name": "apimusic", "music": [music["id"]]},
                          content_type="application/json")
    assert made_class.status_code == 201, made_class.content
    assert "Class: apimusic" in asterisk.cli("moh show classes")
    assert api.delete(f"/api/v1/music-classes/{made_class.json()['id']}").status_code == 204
    plain = api_client(user_for("user"))  # reads, but neither writes nor downloads
    assert plain.get(f"/api/v1/sounds/{music['id']}").status_code == 200
    assert plain.get(f"/api/v1/sounds/{music['id']}/audio").status_code == 403
    assert plain.delete(f"/api/v1/sounds/{music['id']}").status_code == 403


# -- recording from a phone -----------------------------------------------------------------
def test_record_a_prompt_from_a_phone(asterisk, sip, rtp):
    line = new_line("3501", "Rita Recorder")
    sound = sounds.save_details(Sound(name="Phone prompt", source=Sound.PHONE))
    port = free_udp_port()
    sip.register(line.user, line.password, local_port=port).assert_ok("REGISTER")
    phone = sip.sipp("uas_supervision", local_port=port, hold_ms=200, timeout=60,
                     variables={"mport": rtp.port}, name="uas_record")
    phone.start()
    assert wait_udp_bound(port), phone.report()
    reachable(asterisk, line.user)

    assert sounds.record_from_phone(sound, line.phone.user) == "3501"
    answered = phone.wait_for_log("REMOTE_RTP", timeout=20)
    phone.wait_for_log("ANSWERED", timeout=20)
    # speak 2 s after the beep, then stay silent: the silence ends the take
    rtp.send_audio(remote_rtp(answered), SILENCE + alaw_tone(2.0) + SILENCE * 6)
    phone.wait().assert_ok("the recording phone (hung up by Asterisk)")
    assert wait_for(lambda: Sound.objects.get(pk=sound.pk).ready or sounds.collect(), 15)
    sound.refresh_from_db()
    assert sound.ready and sound.source == Sound.PHONE and sound.revision == 1
    assert 1.5 <= sound.duration <= 8, sound.duration
    assert (sounds.root() / f"{sound.file_base}.sln16").stat().st_size > 30000
    assert not list((sounds.root() / "incoming").iterdir())


def test_record_needs_a_phone(asterisk):
    sound = sounds.save_details(Sound(name="No phone", source=Sound.PHONE))
    with pytest.raises(sounds.RecordError):
        sounds.record_from_phone(sound, user_for("user"))


def test_record_dialplan_is_loaded(asterisk):
    shown = asterisk.cli(f"dialplan show {sound_confgen.RECORD_CONTEXT}")
    assert "Record(" in shown and "CentrexSoundRecorded" in shown

"""Audio work of the sounds part, done by programs (never a shell): ffprobe checks what a
file is, ffmpeg decodes anything and writes the formats Asterisk plays, espeak-ng speaks
a text (docs/sounds.md).

ffmpeg rather than sox: sox does not read MP3, AAC or M4A without extra libraries, while
ffmpeg (a Debian package) decodes every common format, resamples well and also writes
G.722, so one program does all conversions.

Every function takes and returns paths; nothing here knows the database. Errors the user
can fix (not audio, empty, too long) are ``ValidationError`` with a translated sentence.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Extension → ffmpeg output options. Asterisk picks, for each call, the file whose format
# costs the least to play on the channel's codec: sln16 for G.722 and wideband phones,
# alaw/ulaw for G.711 phones (no transcoding at all), sln for the rest.
FORMATS: dict[str, list[str]] = {
    "sln16": ["-ar", "16000", "-f", "s16le", "-acodec", "pcm_s16le"],
    "sln": ["-ar", "8000", "-f", "s16le", "-acodec", "pcm_s16le"],
    "alaw": ["-ar", "8000", "-f", "alaw", "-acodec", "pcm_alaw"],
    "ulaw": ["-ar", "8000", "-f", "mulaw", "-acodec", "pcm_mulaw"],
    "g722": ["-ar", "16000", "-f", "g722", "-acodec", "g722"],
}
# What the page's <audio> plays: a WAV every browser reads (16 kHz, 16-bit, mono).
LISTEN = ["-ar", "16000", "-f", "wav", "-acodec", "pcm_s16le"]
PROBE_TIMEOUT = 30
CONVERT_TIMEOUT = 300
TTS_TIMEOUT = 60
MIN_SECONDS = 0.05


@dataclass(frozen=True)
class Probe:
    duration: float


def _run(cmd: list[str], timeout: float, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run a program with a list of arguments (no shell) and a timeout; a program that is
    missing or too slow is a server problem, reported as such."""
    try:
        return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout,
                              check=False)
    except FileNotFoundError as exc:
        raise RuntimeError(f"{cmd[0]} is not installed (scripts/install-system.sh)") from exc
    except subprocess.TimeoutExpired as exc:
        raise ValidationError(_("This file takes too long to process; it is refused.")) from exc


def probe(path: Path) -> Probe:
    """What ffprobe says of the file: refused unless it holds a playable audio stream."""
    if path.stat().st_size == 0:
        raise ValidationError(_("The file is empty."))
    result = _run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
                   "-show_streams", "-select_streams", "a", "--", str(path)], PROBE_TIMEOUT)
    try:
        info = json.loads(result.stdout or b"{}")
    except ValueError:
        info = {}
    streams = info.get("streams") or []
    if result.returncode != 0 or not streams:
        raise ValidationError(_("This file is not a sound Centrex can read (WAV, MP3, OGG, "
                                "FLAC, M4A...)."))
    try:
        duration = float(info.get("format", {}).get("duration")
                         or streams[0].get("duration") or 0)
    except (TypeError, ValueError):
        duration = 0.0
    return Probe(duration=duration)


def check_duration(seconds: float, limit: int) -> None:
    if seconds < MIN_SECONDS:
        raise ValidationError(_("The sound is empty (no audio)."))
    if seconds > limit:
        raise ValidationError(
            _("The sound lasts %(seconds)d s; at most %(limit)d s are allowed for this type.")
            % {"seconds": round(seconds), "limit": limit})


def convert(source: Path, folder: Path, base: str, max_seconds: int) -> dict[str, Path]:
    """Decode ``source`` once and write ``<folder>/<base>.<ext>`` for every format of
    ``FORMATS`` plus ``<base>.wav`` (to listen), mono; longer than ``max_seconds`` is cut
    (the probe refused such files already: this only bounds a lying header)."""
    outputs = {ext: folder / f"{base}.{ext}" for ext in FORMATS}
    outputs["wav"] = folder / f"{base}.wav"
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source)]
    for ext, path in outputs.items():
        options = LISTEN if ext == "wav" else FORMATS[ext]
        cmd += ["-map", "0:a:0", "-vn", "-ac", "1", "-t", str(max_seconds), *options,
                str(path)]
    result = _run(cmd, CONVERT_TIMEOUT)
    if result.returncode != 0 or any(not p.exists() or p.stat().st_size == 0
                                     for p in outputs.values()):
        raise ValidationError(_("Centrex could not convert this sound: %(error)s")
                              % {"error": _tail(result.stderr)})
    return outputs


def speak(text: str, language: str, wav: Path) -> None:
    """espeak-ng reads ``text`` (from stdin: never an argument it could take for an
    option) in ``language`` (fr, en) into ``wav``."""
    voice = {"fr": "fr", "en": "en"}.get(language, "fr")
    result = _run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), "--stdin"],
                  TTS_TIMEOUT, stdin=text.encode("utf-8"))
    if result.returncode != 0 or not wav.exists() or wav.stat().st_size <= 44:
        raise ValidationError(_("The text could not be spoken: %(error)s")
                              % {"error": _tail(result.stderr)})


def _tail(stderr: bytes | None) -> str:
    lines = (stderr or b"").decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:200] if lines else "?"

"""Reading Asterisk's voicemail spool: ``<spool>/voicemail/centrex/<ext>/<Folder>/msgNNNN.*``.

Reading is done on the files (fast, and works while Asterisk is busy); every change goes
through Asterisk's manager actions (``centrex.voicemail.services``) so that Asterisk keeps
its numbering contiguous and the phones' message-waiting lamps follow.
"""

from __future__ import annotations

import configparser
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centrex.pbx.connection import NotConfigured, target
from centrex.telephony.confgen import VOICEMAIL_CONTEXT

# Asterisk's folder names, in the order the pages show them.
FOLDERS = {
    "INBOX": _("New"),
    "Old": _("Old"),
    "Work": _("Work"),
    "Family": _("Family"),
    "Friends": _("Friends"),
}
MSG_RE = re.compile(r"msg(\d{4})\.txt")
MSG_ID_RE = re.compile(r"[0-9A-Za-z_.-]{1,64}")
# The formats voicemail.conf records (format = wav49|wav): browsers play PCM WAV.
AUDIO = (("wav", "audio/wav"), ("WAV", "audio/wav"), ("gsm", "audio/x-gsm"))


@dataclass
class Message:
    extension: str
    folder: str
    number: int
    msg_id: str
    caller: str
    date: datetime.datetime | None
    duration: int
    txt: Path

    @property
    def audio(self) -> Path | None:
        """The recording a browser can play (PCM WAV first), if any."""
        for ext, _type in AUDIO:
            path = self.txt.with_suffix(f".{ext}")
            if path.exists():
                return path
        return None

    @property
    def content_type(self) -> str:
        audio = self.audio
        return dict(AUDIO).get(audio.suffix[1:], "application/octet-stream") if audio else ""

    @property
    def filename(self) -> str:
        stamp = self.date.strftime("%Y%m%d-%H%M%S") if self.date else f"{self.number:04d}"
        suffix = self.audio.suffix.lower() if self.audio else ".wav"
        return f"voicemail-{self.extension}-{stamp}{suffix}"

    @property
    def duration_text(self) -> str:
        return f"{self.duration // 60}:{self.duration % 60:02d}"


def root() -> Path | None:
    """The boxes' folder of context "centrex"; None while no Asterisk is configured."""
    try:
        return Path(target().spool_dir) / "voicemail" / VOICEMAIL_CONTEXT
    except NotConfigured:
        return None


def folder_dir(extension: str, folder: str) -> Path | None:
    base = root()
    if base is None or folder not in FOLDERS or not extension.isdigit():
        return None
    return base / extension / folder


def parse(txt: Path, extension: str, folder: str) -> Message | None:
    """One message from its msgNNNN.txt; None if it vanished or is unreadable."""
    match = MSG_RE.fullmatch(txt.name)
    if not match:
        return None
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(txt.read_text(errors="replace"))
    except (OSError, configparser.Error):
        return None
    info = parser["message"] if parser.has_section("message") else {}
    try:
        stamp = datetime.datetime.fromtimestamp(int(info.get("origtime", "")), tz=datetime.UTC)
        date = timezone.localtime(stamp)
    except (ValueError, OverflowError, OSError):
        date = None
    try:
        duration = int(info.get("duration", "0"))
    except ValueError:
        duration = 0
    msg_id = info.get("msg_id", "") or f"n{match.group(1)}"
    return Message(extension, folder, int(match.group(1)), msg_id,
                   info.get("callerid", "").strip() or str(_("Unknown")), date, duration, txt)


def messages(extension: str, folder: str) -> list[Message]:
    """The messages of one folder, newest first."""
    path = folder_dir(extension, folder)
    if path is None or not path.is_dir():
        return []
    found = [parse(txt, extension, folder) for txt in sorted(path.glob("msg*.txt"))]
    return sorted((m for m in found if m is not None), key=lambda m: m.number, reverse=True)


def counts(extension: str) -> dict[str, int]:
    result = {}
    for folder in FOLDERS:
        path = folder_dir(extension, folder)
        result[folder] = (sum(1 for p in path.glob("msg*.txt") if MSG_RE.fullmatch(p.name))
                          if path is not None and path.is_dir() else 0)
    return result


def find(extension: str, folder: str, msg_id: str) -> Message | None:
    if not MSG_ID_RE.fullmatch(msg_id or ""):
        return None
    return next((m for m in messages(extension, folder) if m.msg_id == msg_id), None)

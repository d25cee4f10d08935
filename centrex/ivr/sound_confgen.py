"""Asterisk files of the sounds part (docs/sounds.md).

- ``centrex_musiconhold.conf`` (res_musiconhold), included by the stock musiconhold.conf:
  one ``mode = files`` class per music class that has music ready, its ``directory`` the
  class's link ``<sounds>/moh/<name>`` (centrex/ivr/sounds.py builds it). Each section's
  comment carries the fingerprint of the class's music, so new music changes the file and
  Asterisk reloads the class. The verifier reads ``moh show classes``.
- ``centrex_sounds.conf`` (pbx_config): the context Asterisk runs when it calls an
  administrator to record a prompt (AMI Originate from ``sounds.record_from_phone``).

Both renderers are pure and sorted (golden files in tests/golden).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from centrex.ivr import sounds
from centrex.pbx.ami import AMIError
from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, VerificationError, dialplan, register
from centrex.pbx.confgen import syntax as s

if TYPE_CHECKING:
    from centrex.pbx.ami import AMIClient

MOH_FILE = "centrex_musiconhold.conf"
DIALPLAN_FILE = "centrex_sounds.conf"
RECORD_CONTEXT = "centrex-sound-record"
REVISION_CONTEXT = "centrex-rev-sounds"
CLASS_LINE_RE = re.compile(r"^Class: (\S+)", re.M)


# -- musiconhold.conf ------------------------------------------------------------------------
def render_moh() -> str:
    from centrex.ivr.models import MusicClass

    parts = []
    base = None
    for music_class in MusicClass.objects.order_by("name").prefetch_related("entries__sound"):
        entries = [(e.sound_id, e.sound.revision) for e in music_class.entries.all()
                   if e.sound.ready]
        if not entries:  # Asterisk refuses a class without files
            continue
        base = base or sounds.asterisk_root()
        comment = f"{music_class.description} " if music_class.description else ""
        parts.append(s.section(music_class.name, [
            ("mode", "files"),
            ("directory", f"{base}/moh/{music_class.name}"),
            ("sort", "random" if music_class.shuffle else "alpha"),
        ], comment=f"{comment}[music {sounds.fingerprint(entries)}]"))
    body = "\n".join(parts)
    return (s.header("Music-on-hold classes of Centrex (included by musiconhold.conf)")
            + ("\n" + body if body else "") + f"\n; CENTREX_REVISION={s.revision(body)}\n")


def classes_of(text: str) -> set[str]:
    return set(re.findall(r"^\[([^\]]+)\]", text, re.M))


async def verify_moh(ami: AMIClient, old: str, new: str) -> None:
    """Asterisk must run every class of the file, and none of those removed from it."""
    try:
        output = await ami.command("moh show classes")
    except AMIError as exc:
        raise VerificationError(f"Asterisk did not load {MOH_FILE}") from exc
    running = set(CLASS_LINE_RE.findall(output))
    missing = classes_of(new) - running
    if missing:
        raise VerificationError(f"Asterisk does not run the music classes {sorted(missing)}")
    still = (classes_of(old) - classes_of(new)) & running
    if still:
        raise VerificationError(f"Asterisk still runs the removed classes {sorted(still)}")


# -- recording from a phone -------------------------------------------------------------------
INCOMING = "${ASTSPOOLDIR}/" + sounds.DIR + "/incoming/${CENTREX_SOUND_TAKE}"
RECORD = f"""[{RECORD_CONTEXT}]
; Centrex calls an administrator's phone (AMI Originate) with CENTREX_SOUND_TAKE
; (take-<sound>-<revision>), CENTREX_SOUND_MAX (seconds) and CENTREX_SOUND_SILENCE: after
; the beep they speak; silence, # or hanging up ends the take (k: kept on hang-up). Once
; the call is over, the .done marker and the UserEvent tell Centrex to convert it.
exten => s,1,GotoIf($[${{REGEX("^take-[0-9]+-[0-9]+$" ${{CENTREX_SOUND_TAKE}})}}]?ok)
 same => n,Hangup()
 same => n(ok),Answer()
 same => n,Wait(0.5)
 same => n,Record({INCOMING}.wav,${{CENTREX_SOUND_SILENCE}},${{CENTREX_SOUND_MAX}},k)
 same => n,Playback(beep)
 same => n,Hangup()
exten => h,1,GotoIf($[${{REGEX("^take-[0-9]+-[0-9]+$" ${{CENTREX_SOUND_TAKE}})}}]?ok:end)
 same => n(ok),Set(FILE({INCOMING}.done)=${{RECORD_STATUS}})
 same => n,UserEvent(CentrexSoundRecorded,Take: ${{CENTREX_SOUND_TAKE}})
 same => n(end),NoOp()
"""


def render_dialplan() -> str:
    return dialplan.render("Recording prompts from a phone (Centrex sounds)", RECORD,
                           REVISION_CONTEXT)


def install() -> None:
    """Register both files (sound_setup.install)."""
    from centrex.ivr.models import MusicClass, MusicClassSound, Sound
    from centrex.telephony import confgen as phones_confgen

    register(ConfFile(MOH_FILE, render_moh, "res_musiconhold.so", verify_moh, order=40))
    register(ConfFile(DIALPLAN_FILE, render_dialplan, "pbx_config.so",
                      dialplan.verifier(DIALPLAN_FILE, REVISION_CONTEXT), order=47))
    phones_confgen.include_dialplan_file(DIALPLAN_FILE)
    watch(MusicClass, MusicClassSound, Sound)

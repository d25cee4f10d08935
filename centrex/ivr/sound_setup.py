"""Registration of the sounds part: renderers, audit, administrators' permissions."""

from __future__ import annotations


def install() -> None:
    """Called once by IvrConfig.ready: the two Asterisk files, the journal, the phone
    recordings' event, and administrators manage sounds and classes."""
    from centrex.core import audit, roles
    from centrex.ivr import sound_confgen, sounds
    from centrex.ivr.models import MusicClass, MusicClassSound, Sound
    from centrex.pbx import events

    sound_confgen.install()
    for model in (Sound, MusicClass, MusicClassSound):
        audit.audited(model)
    events.subscribe("UserEvent", sounds.on_recorded)
    events.on_connect(sounds.collect)
    roles.extend_profile(roles.ADMIN, [
        f"ivr.{action}_{model}" for model in ("sound", "musicclass")
        for action in ("add", "change", "delete", "view")])

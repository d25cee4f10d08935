"""The music-on-hold renderer (golden file) and small rules of the sounds part that need no
Asterisk: names of takes, fingerprints, download names."""

import os
from pathlib import Path

import pytest

from centrex.ivr import sound_confgen, sounds
from centrex.ivr.models import MusicClass, MusicClassSound, Sound
from centrex.pbx.confgen import syntax

GOLDEN = Path(__file__).parent.parent / "golden" / "musiconhold_sample.txt"


@pytest.fixture
def classes(db, monkeypatch):
    monkeypatch.setattr(sounds, "asterisk_root", lambda: "/srv/centrex/demo/spool/centrex-sounds")
    made = {}
    for pk, (name, ready, revision) in enumerate(
            [("Sea", True, 2), ("Rain", True, 1), ("Draft", False, 0)], start=11):
        made[name] = Sound.objects.create(pk=pk, name=name, kind=Sound.MUSIC, ready=ready,
                                          revision=revision)
    # Created out of order: the output is sorted anyway.
    zen = MusicClass.objects.create(name="zen", description="Calm music", shuffle=True)
    empty = MusicClass.objects.create(name="empty")
    jazz = MusicClass.objects.create(name="jazz")
    for position, name in enumerate(["Sea", "Rain", "Draft"]):
        MusicClassSound.objects.create(music_class=zen, sound=made[name], position=position)
    MusicClassSound.objects.create(music_class=jazz, sound=made["Rain"])
    MusicClassSound.objects.create(music_class=empty, sound=made["Draft"])
    return made


def test_golden_classes(classes):
    text = sound_confgen.render_moh()
    if os.environ.get("CENTREX_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    assert sound_confgen.classes_of(text) == {"jazz", "zen"}  # no music ready: not given


def test_new_music_changes_the_file(classes):
    before = sound_confgen.render_moh()
    Sound.objects.filter(name="Sea").update(revision=3)
    after = sound_confgen.render_moh()
    assert before != after and syntax.revision_of(before) != syntax.revision_of(after)


def test_a_bad_class_name_never_reaches_the_file(classes):
    MusicClass.objects.filter(name="jazz").update(name="jazz]\n[evil")
    with pytest.raises(syntax.ConfigSyntaxError):
        sound_confgen.render_moh()


def test_takes_and_fingerprints():
    assert sounds.TAKE_RE.fullmatch("take-12-3")
    assert not sounds.TAKE_RE.fullmatch("take-12-3/../x")
    assert sounds.fingerprint([(1, 2), (3, 4)]) != sounds.fingerprint([(3, 4), (1, 2)])
    assert sounds.asterisk_path(Sound(pk=7)) == "${ASTSPOOLDIR}/centrex-sounds/sound-7"


@pytest.mark.parametrize(("name", "ext"), [("a.MP3", "mp3"), ("noext", "bin"),
                                            ("x.../../etc", "bin"), ("b.toolongext", "bin")])
def test_original_extension_is_safe(name, ext):
    assert sounds._extension(name) == ext

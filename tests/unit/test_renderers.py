"""Golden files: the renderers are pure and deterministic.

Set CENTREX_UPDATE_GOLDEN=1 to rewrite the files after an intended change, then read the
diff before committing it.
"""

import os
from pathlib import Path

import pytest

from centrex.pbx import confgen
from centrex.pbx.confgen import syntax
from centrex.telephony.models import Phone, digest_ha1

GOLDEN = Path(__file__).parent.parent / "golden"


def _phone(ext: str, name: str, user: str, **kw) -> Phone:
    phone = Phone(extension=ext, name=name, sip_username=user, voicemail_pin="1234", **kw)
    phone.sip_ha1 = digest_ha1(user, f"secret-{ext}")
    phone.full_clean()
    phone.save()
    return phone


@pytest.fixture
def phones(db):
    # Created out of order: the output must be sorted anyway.
    _phone("202", "Bob Durand", "ubbbbbbbbbbb", ring_timeout=30)
    _phone("201", "Alice Martin", "uaaaaaaaaaaa")
    _phone("203", "Élodie Le Gall", "ucccccccccc3", voicemail_enabled=False)


@pytest.mark.parametrize("filename", sorted(confgen.registry()))
def test_golden(phones, filename):
    text = confgen.registry()[filename].render()
    path = GOLDEN / filename
    if os.environ.get("CENTREX_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_rendering_is_deterministic(phones):
    assert confgen.render_all() == confgen.render_all()


def test_every_file_carries_its_revision(phones):
    for text in confgen.render_all().values():
        body_rev = syntax.revision_of(text)
        assert len(body_rev) == 16


def test_revision_follows_content(phones):
    before = confgen.render_all()
    Phone.objects.filter(extension="201").update(name="Alice Dupont")
    after = confgen.render_all()
    assert syntax.revision_of(before["centrex_pjsip_astdb.conf"]) != syntax.revision_of(
        after["centrex_pjsip_astdb.conf"]
    )


def test_no_plaintext_secret_is_rendered(phones):
    pjsip = confgen.registry()["centrex_pjsip_astdb.conf"].render()
    assert "secret-201" not in pjsip and "password" not in pjsip
    assert digest_ha1("uaaaaaaaaaaa", "secret-201") in pjsip

"""Phone books for desk phones (Yealink and Grandstream XML), behind HTTP Digest.

A phone authenticates with its own SIP user name and password, which it already has.
Centrex keeps only their digest hash (HA1 = MD5(user:realm:password), realm ``centrex``),
and HTTP Digest (RFC 7616, MD5, ``qop=auth``) is checked with exactly that hash, so no
password is stored for this. The nonce is signed and time-stamped (no server state); a
stale nonce gets a new challenge. The books hold internal users and shared contacts, never
private ones.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from centrex.directory.services import Entry, shared_entries
from centrex.telephony.models import SIP_REALM, Phone

NONCE_SECONDS = 300


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _sign(stamp: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"phonebook-nonce:{stamp}".encode(), hashlib.sha256).hexdigest()[:32]


def new_nonce() -> str:
    stamp = str(int(time.time()))
    return f"{stamp}.{_sign(stamp)}"


def nonce_state(nonce: str) -> str:
    """``fresh``, ``stale`` (signed by us, too old) or ``bad``."""
    stamp, _, sig = nonce.partition(".")
    if not stamp.isdigit() or not hmac.compare_digest(sig, _sign(stamp)):
        return "bad"
    return "fresh" if time.time() - int(stamp) <= NONCE_SECONDS else "stale"


def parse_digest(header: str) -> dict[str, str] | None:
    scheme, _, rest = header.partition(" ")
    if scheme.lower() != "digest":
        return None
    params: dict[str, str] = {}
    i, n = 0, len(rest)
    while i < n:
        while i < n and rest[i] in " ,":
            i += 1
        eq = rest.find("=", i)
        if eq < 0:
            break
        key = rest[i:eq].strip().lower()
        i = eq + 1
        if i < n and rest[i] == '"':
            end = i + 1
            value = []
            while end < n and rest[end] != '"':
                if rest[end] == "\\" and end + 1 < n:
                    end += 1
                value.append(rest[end])
                end += 1
            params[key] = "".join(value)
            i = end + 1
        else:
            end = rest.find(",", i)
            end = n if end < 0 else end
            params[key] = rest[i:end].strip()
            i = end
    return params


def authenticated_phone(request: HttpRequest) -> tuple[Phone | None, bool]:
    """The phone whose SIP credentials signed this request, and whether the nonce was
    merely stale (then the phone retries with a fresh one)."""
    params = parse_digest(request.headers.get("Authorization", ""))
    if not params:
        return None, False
    username, nonce = params.get("username", ""), params.get("nonce", "")
    uri, given = params.get("uri", ""), params.get("response", "")
    if params.get("realm") != SIP_REALM or uri != request.get_full_path():
        return None, False
    if params.get("algorithm", "MD5").upper() != "MD5":
        return None, False
    state = nonce_state(nonce)
    if state != "fresh":
        return None, state == "stale"
    phone = Phone.objects.filter(sip_username=username).select_related("user").first()
    if phone is None or not phone.sip_ha1:
        return None, False
    ha2 = _md5(f"{request.method}:{uri}")
    qop = params.get("qop", "")
    if qop == "auth":
        expected = _md5(f"{phone.sip_ha1}:{nonce}:{params.get('nc', '')}:"
                        f"{params.get('cnonce', '')}:auth:{ha2}")
    elif not qop:
        expected = _md5(f"{phone.sip_ha1}:{nonce}:{ha2}")
    else:
        return None, False
    if not hmac.compare_digest(expected, given.lower()):
        return None, False
    if phone.user is not None and not phone.user.is_active:
        return None, False
    return phone, False


def challenge(stale: bool = False) -> HttpResponse:
    response = HttpResponse("Authentication required\n", status=401,
                            content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = (
        f'Digest realm="{SIP_REALM}", qop="auth", algorithm=MD5, nonce="{new_nonce()}"'
        + (", stale=true" if stale else ""))
    return response


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def yealink(items: list[Entry]) -> bytes:
    """``<YealinkIPPhoneDirectory><DirectoryEntry><Name/><Telephone/>…`` (remote phone
    book; up to three Telephone elements per entry)."""
    root = ET.Element("YealinkIPPhoneDirectory")
    for entry in items:
        node = ET.SubElement(root, "DirectoryEntry")
        ET.SubElement(node, "Name").text = entry.name
        for number in entry.numbers:
            ET.SubElement(node, "Telephone").text = number
    return _xml(root)


def grandstream(items: list[Entry]) -> bytes:
    """``<AddressBook><version>1</version><Contact><FirstName/><LastName/><Phone
    type="Work"><phonenumber/><accountindex/></Phone>…`` (the XML phone book GXP phones
    download; ``accountindex`` 0 is the phone's first account)."""
    root = ET.Element("AddressBook")
    ET.SubElement(root, "version").text = "1"
    for entry in items:
        node = ET.SubElement(root, "Contact")
        ET.SubElement(node, "FirstName").text = entry.first
        ET.SubElement(node, "LastName").text = entry.last or entry.org
        for kind, number in zip(("Work", "Mobile", "Home"), entry.numbers, strict=False):
            phone = ET.SubElement(node, "Phone", type=kind)
            ET.SubElement(phone, "phonenumber").text = number
            ET.SubElement(phone, "accountindex").text = "0"
    return _xml(root)


def serve(request: HttpRequest, render: Callable[[list[Entry]], bytes]) -> HttpResponse:
    phone, stale = authenticated_phone(request)
    if phone is None:
        return challenge(stale)
    items = list(shared_entries().order_by("last", "first", "pk"))
    response = HttpResponse(render(items), content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response

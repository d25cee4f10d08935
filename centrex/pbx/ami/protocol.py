"""Asterisk Manager Interface wire protocol: packet model, incremental parser, encoder.

This module is deliberately free of I/O so that it can be tested exhaustively (including
property-based tests that cut the byte stream at arbitrary points) and reused by the
asyncio client, the synchronous helpers and the fake AMI servers used in unit tests.

AMI is a line-oriented text protocol over TCP:

* on connect the server sends one banner line, ``Asterisk Call Manager/11.0.0``;
* every packet is a sequence of ``Key: Value`` lines terminated by ``\\r\\n`` and the
  packet ends with an empty line (``\\r\\n\\r\\n``);
* keys may repeat (``Output:`` lines of a ``Command`` response, ``ChanVariable``...), so a
  packet is an *ordered multi-map*, not a dict;
* old Asterisk versions (< 14) answered ``Command`` with ``Response: Follows`` followed by
  raw, un-prefixed output lines and a ``--END COMMAND--`` marker.  Asterisk 22 sends
  ``Output:`` headers instead, but the parser still understands the legacy form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

__all__ = [
    "END_COMMAND",
    "HeaderValue",
    "Headers",
    "Message",
    "Parser",
    "encode_action",
    "encode_message",
]

#: Marker closing the raw output of a legacy ``Response: Follows`` command answer.
END_COMMAND = "--END COMMAND--"

#: Accepted header value types for :func:`encode_action`.  Sequences produce repeated
#: headers (``Variable: a=1`` / ``Variable: b=2``), ``None`` means "omit this header".
HeaderValue = str | int | float | bool | None | Sequence[str | int | float | bool]
Headers = Mapping[str, HeaderValue] | Iterable[tuple[str, HeaderValue]]

# A banner looks like "Asterisk Call Manager/11.0.0" (or a proxy's "Foo Manager/1.2").
_BANNER_RE = re.compile(r"^[^:]*/\d[\w.\-+~]*$")

# Headers that may precede the raw output in a legacy "Response: Follows" packet.  Anything
# else is treated as output, because output lines can look like headers ("Name: foo").
_FOLLOWS_HEADERS = frozenset({"response", "privilege", "actionid", "message"})

_MISSING: Any = object()


class Message:
    """One AMI packet (a response or an event) with its headers in wire order.

    Header names are case-insensitive for lookup (Asterisk itself is inconsistent:
    ``ActionID`` vs ``ActionId`` across versions) but kept verbatim in :attr:`headers`.
    ``msg["Key"]`` returns the first value, :meth:`getlist` returns every value.
    """

    __slots__ = ("_headers", "_index")

    def __init__(self, headers: Iterable[tuple[str, str]] = ()) -> None:
        self._headers: tuple[tuple[str, str], ...] = tuple(
            (str(key), str(value)) for key, value in headers
        )
        index: dict[str, list[str]] = {}
        for key, value in self._headers:
            index.setdefault(key.lower(), []).append(value)
        self._index = index

    @classmethod
    def from_dict(cls, data: Mapping[str, str | Sequence[str]]) -> Message:
        """Build a message from a mapping; list values become repeated headers."""
        pairs: list[tuple[str, str]] = []
        for key, value in data.items():
            if isinstance(value, str):
                pairs.append((key, value))
            else:
                pairs.extend((key, str(item)) for item in value)
        return cls(pairs)

    # -- mapping-like access -------------------------------------------------------------
    @property
    def headers(self) -> list[tuple[str, str]]:
        """All ``(key, value)`` pairs in wire order (a copy: messages are immutable)."""
        return list(self._headers)

    def __getitem__(self, key: str) -> str:
        values = self._index.get(key.lower())
        if not values:
            raise KeyError(key)
        return values[0]

    @overload
    def get(self, key: str) -> str | None: ...

    @overload
    def get(self, key: str, default: str) -> str: ...

    @overload
    def get(self, key: str, default: Any) -> Any: ...

    def get(self, key: str, default: Any = None) -> Any:
        """First value of ``key`` (case-insensitive) or ``default``."""
        values = self._index.get(key.lower())
        return values[0] if values else default

    def getlist(self, key: str) -> list[str]:
        """Every value of ``key`` in wire order (empty list when absent)."""
        return list(self._index.get(key.lower(), ()))

    def keys(self) -> list[str]:
        """Distinct header names in order of first appearance (original spelling)."""
        seen: dict[str, str] = {}
        for key, _ in self._headers:
            seen.setdefault(key.lower(), key)
        return list(seen.values())

    def to_dict(self) -> dict[str, str | list[str]]:
        """Plain dict (first spelling of each key); repeated headers become lists."""
        result: dict[str, str | list[str]] = {}
        for key in self.keys():
            values = self._index[key.lower()]
            result[key] = values[0] if len(values) == 1 else list(values)
        return result

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._headers)

    def __bool__(self) -> bool:
        return bool(self._headers)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Message):
            return NotImplemented
        return self._headers == other._headers

    def __hash__(self) -> int:
        return hash(self._headers)

    def __repr__(self) -> str:
        kind = "Event" if self.is_event else "Response" if self.is_response else "Message"
        extra = f" ActionID={self.action_id!r}" if self.action_id is not None else ""
        body = ", ".join(f"{key}={value!r}" for key, value in self._headers[:8])
        more = f", ... +{len(self._headers) - 8}" if len(self._headers) > 8 else ""
        return f"<AMI {kind} {self.name!r}{extra} {{{body}{more}}}>"

    # -- AMI semantics ---------------------------------------------------------------------
    @property
    def is_event(self) -> bool:
        """True for unsolicited (or event-list) packets carrying an ``Event:`` header."""
        return "event" in self._index

    @property
    def is_response(self) -> bool:
        """True for the direct answer to an action (``Response:`` header)."""
        return "response" in self._index

    @property
    def name(self) -> str:
        """Event name (``Newchannel``) or response status (``Success``/``Error``)."""
        return self.get("Event") or self.get("Response") or ""

    @property
    def action_id(self) -> str | None:
        """The ``ActionID`` echoed by Asterisk, used to route answers to their caller."""
        return self.get("ActionID")

    @property
    def is_error(self) -> bool:
        """True when Asterisk rejected the action (``Response: Error``)."""
        return self.is_response and self["Response"].strip().lower() == "error"

    @property
    def event_list(self) -> str | None:
        """Lower-cased ``EventList`` header (``start``/``complete``/``cancelled``) if any."""
        value = self.get("EventList")
        return value.strip().lower() if value is not None else None

    def encode(self) -> bytes:
        """Serialize as Asterisk sends it (used by fakes/tests; validates CR/LF too)."""
        return encode_message(self._headers)


class Parser:
    """Incremental AMI stream parser.

    TCP gives no message boundaries, so :meth:`feed` accepts arbitrary chunks (a chunk may
    end in the middle of a line, or between ``\\r`` and ``\\n``) and returns the packets
    completed so far.  It never raises on malformed input: a line without a colon becomes
    a header with an empty value, invalid UTF-8 is replaced, bare ``\\n`` line ends are
    accepted, because a crashing parser would take the whole PBX control channel down.
    """

    def __init__(self) -> None:
        self.banner: str | None = None
        self._buffer = bytearray()
        self._seen_first_line = False
        self._headers: list[tuple[str, str]] = []
        # Legacy "Response: Follows" state: None (normal), "headers" or "output".
        self._follows: str | None = None

    def feed(self, data: bytes) -> list[Message]:
        """Consume ``data`` and return every message completed by it, in order."""
        self._buffer += data
        messages: list[Message] = []
        start = 0
        buffer = self._buffer
        while True:
            end = buffer.find(b"\n", start)
            if end < 0:
                break
            raw = bytes(buffer[start:end])
            start = end + 1
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            message = self._line(raw.decode("utf-8", errors="replace"))
            if message is not None:
                messages.append(message)
        if start:
            del buffer[:start]
        return messages

    @property
    def pending(self) -> bool:
        """True when a partially received message or line is buffered."""
        return bool(self._buffer or self._headers)

    def _line(self, line: str) -> Message | None:
        if not self._seen_first_line:
            self._seen_first_line = True
            if _BANNER_RE.match(line):
                self.banner = line
                return None
        if self._follows is not None:
            return self._follows_line(line)
        if not line:
            return self._flush()
        key, value = _split_header(line)
        self._headers.append((key, value))
        if key.lower() == "response" and value.strip().lower() == "follows":
            self._follows = "headers"
        return None

    def _follows_line(self, line: str) -> Message | None:
        """Legacy ``Command`` output: raw lines collected as ``Output`` until the marker."""
        if line.endswith(END_COMMAND):
            rest = line[: -len(END_COMMAND)]
            if rest:
                self._headers.append(("Output", rest))
            self._follows = None
            return self._flush()
        if self._follows == "headers":
            key, value = _split_header(line)
            if line and ": " in line and key.lower() in _FOLLOWS_HEADERS:
                self._headers.append((key, value))
                return None
            self._follows = "output"
        self._headers.append(("Output", line))
        return None

    def _flush(self) -> Message | None:
        if not self._headers:
            return None  # stray blank line between packets
        message = Message(self._headers)
        self._headers = []
        return message


def _split_header(line: str) -> tuple[str, str]:
    """Split on the first ``": "`` (values may contain it); tolerate odd lines."""
    key, sep, value = line.partition(": ")
    if sep:
        return key, value
    if line.endswith(":"):
        return line[:-1], ""
    return line, ""


def _check_token(text: str, what: str) -> str:
    if "\r" in text or "\n" in text:
        # A CR/LF would let a caller-controlled string inject extra AMI headers or even a
        # whole second action (e.g. "Action: Command\r\nCommand: core stop now").
        raise ValueError(f"AMI {what} must not contain CR or LF: {text!r}")
    return text


def _format_value(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _iter_headers(headers: Headers | None) -> Iterator[tuple[str, HeaderValue]]:
    if headers is None:
        return iter(())
    if isinstance(headers, Mapping):
        return iter(headers.items())
    return iter(headers)


def encode_message(headers: Headers) -> bytes:
    """Serialize ``headers`` as one AMI packet (``Key: Value\\r\\n``... ``\\r\\n``).

    Sequence values become repeated headers and ``None`` values are skipped.  Raises
    :class:`ValueError` on CR/LF anywhere and on keys that are empty or contain ``:``.
    """
    lines: list[str] = []
    for key, value in _iter_headers(headers):
        key = _check_token(str(key), "header name")
        if not key or ":" in key or key != key.strip():
            raise ValueError(f"invalid AMI header name: {key!r}")
        if value is None:
            continue
        values = [value] if isinstance(value, str | int | float | bool) else list(value)
        for item in values:
            text = _check_token(_format_value(item), f"value of header {key!r}")
            lines.append(f"{key}: {text}\r\n")
    lines.append("\r\n")
    return "".join(lines).encode("utf-8")


def encode_action(name: str, headers: Headers | None = None) -> bytes:
    """Encode an action request: ``Action: name`` followed by ``headers``.

    ``headers`` is a dict or a list of ``(key, value)`` pairs (use the list form or a list
    value to send a header several times, e.g. ``Variable``).
    """
    name = _check_token(str(name), "action name")
    if not name.strip():
        raise ValueError("AMI action name must not be empty")
    pairs: list[tuple[str, HeaderValue]] = [("Action", name)]
    pairs.extend(_iter_headers(headers))
    return encode_message(pairs)

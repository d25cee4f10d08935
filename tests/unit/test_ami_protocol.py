"""AMI wire protocol: Message, incremental Parser, encoders (pure, no I/O)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centrex.pbx.ami.protocol import Message, Parser, encode_action, encode_message

BANNER = b"Asterisk Call Manager/11.0.0\r\n"


def parse_all(data: bytes) -> tuple[Parser, list[Message]]:
    parser = Parser()
    return parser, parser.feed(data)


# -- Message ------------------------------------------------------------------------------
def test_message_lookup_is_case_insensitive_and_keeps_order() -> None:
    msg = Message(
        [("Event", "VarSet"), ("ChanVariable", "A=1"), ("actionid", "x1"), ("ChanVariable", "B=2")]
    )
    assert msg["chanvariable"] == "A=1"
    assert msg.getlist("CHANVARIABLE") == ["A=1", "B=2"]
    assert msg.get("Missing") is None
    assert msg.get("Missing", "d") == "d"
    assert msg.getlist("Missing") == []
    assert msg.action_id == "x1"
    assert "ActionID" in msg
    assert "Nope" not in msg
    assert msg.headers[1] == ("ChanVariable", "A=1")
    assert msg.keys() == ["Event", "ChanVariable", "actionid"]
    assert msg.to_dict() == {"Event": "VarSet", "ChanVariable": ["A=1", "B=2"], "actionid": "x1"}
    with pytest.raises(KeyError):
        msg["Missing"]


def test_message_kinds() -> None:
    event = Message([("Event", "Newchannel")])
    assert event.is_event and not event.is_response and event.name == "Newchannel"
    error = Message([("Response", "Error"), ("Message", "Permission denied")])
    assert error.is_response and error.is_error and error.name == "Error"
    ok = Message([("Response", "Success"), ("EventList", "start")])
    assert not ok.is_error and ok.event_list == "start"
    assert Message([("Foo", "bar")]).name == ""
    assert "Newchannel" in repr(event)
    assert Message.from_dict({"A": "1", "B": ["2", "3"]}).headers == [
        ("A", "1"),
        ("B", "2"),
        ("B", "3"),
    ]
    assert Message([("A", "1")]) == Message([("A", "1")])
    assert Message([("A", "1")]) != Message([("a", "1")])


# -- Parser -------------------------------------------------------------------------------
def test_banner_and_messages() -> None:
    data = (
        BANNER + b"Response: Success\r\nActionID: 1\r\nMessage: Authentication accepted\r\n\r\n"
        b"Event: FullyBooted\r\nPrivilege: system,all\r\nStatus: Fully Booted\r\n\r\n"
    )
    parser, msgs = parse_all(data)
    assert parser.banner == "Asterisk Call Manager/11.0.0"
    assert [m.name for m in msgs] == ["Success", "FullyBooted"]
    assert msgs[0].action_id == "1"
    assert not parser.pending


def test_split_mid_crlf_and_byte_by_byte() -> None:
    data = BANNER + b"Event: A\r\nKey: v\r\n\r\nEvent: B\r\n\r\n"
    parser = Parser()
    out: list[Message] = []
    for i in range(len(data)):
        out += parser.feed(data[i : i + 1])
    assert [m.name for m in out] == ["A", "B"]
    assert out[0]["Key"] == "v"
    assert parser.banner == "Asterisk Call Manager/11.0.0"


def test_value_containing_colon_space_is_split_on_first_only() -> None:
    _, msgs = parse_all(b"Event: UserEvent\r\nFoo: a: b: c\r\nUrl: sip:x@y\r\n\r\n")
    assert msgs[0]["Foo"] == "a: b: c"
    assert msgs[0]["Url"] == "sip:x@y"


def test_odd_lines_do_not_crash() -> None:
    _, msgs = parse_all(b"Event: X\r\njust some text\r\nEmpty:\r\nBlank: \r\n\r\n")
    assert msgs[0].headers == [("Event", "X"), ("just some text", ""), ("Empty", ""), ("Blank", "")]


def test_stray_blank_lines_between_packets_are_ignored() -> None:
    _, msgs = parse_all(BANNER + b"\r\n\r\nEvent: A\r\n\r\n\r\n\r\nEvent: B\r\n\r\n")
    assert [m.name for m in msgs] == ["A", "B"]


def test_bare_lf_tolerated() -> None:
    parser, msgs = parse_all(b"Asterisk Call Manager/5.0.1\nEvent: A\nKey: v\n\nEvent: B\n\n")
    assert parser.banner == "Asterisk Call Manager/5.0.1"
    assert [(m.name, m.get("Key")) for m in msgs] == [("A", "v"), ("B", None)]


def test_mixed_line_endings() -> None:
    _, msgs = parse_all(b"Event: A\r\nKey: v\n\r\nEvent: B\n\n")
    assert [m.name for m in msgs] == ["A", "B"]


def test_non_utf8_is_replaced() -> None:
    _, msgs = parse_all(b"Event: X\r\nCallerIDName: Ren\xe9 \xff\r\n\r\n")
    assert msgs[0]["CallerIDName"] == "Ren\ufffd \ufffd"


def test_utf8_split_inside_a_character() -> None:
    data = "Event: X\r\nName: Zoë Ünïcødé\r\n\r\n".encode()
    cut = data.index("ë".encode()) + 1
    parser = Parser()
    msgs = parser.feed(data[:cut]) + parser.feed(data[cut:])
    assert msgs[0]["Name"] == "Zoë Ünïcødé"


def test_no_banner_when_stream_starts_with_headers() -> None:
    parser, msgs = parse_all(b"Response: Success\r\nActionID: 1\r\n\r\n")
    assert parser.banner is None
    assert msgs[0].is_response


def test_asterisk22_command_output_headers() -> None:
    data = (
        b"Response: Success\r\nActionID: 8\r\nMessage: Command output follows\r\n"
        b"Output: [ Context 'default' created by 'pbx_config' ]\r\n"
        b"Output:   '100' =>          1. NoOp(test)     [extensions.conf:3]\r\n"
        b"Output: \r\n"
        b"Output: -= 1 extension (2 priorities) in 1 context. =-\r\n\r\n"
    )
    _, msgs = parse_all(data)
    assert msgs[0].getlist("Output") == [
        "[ Context 'default' created by 'pbx_config' ]",
        "  '100' =>          1. NoOp(test)     [extensions.conf:3]",
        "",
        "-= 1 extension (2 priorities) in 1 context. =-",
    ]


def test_legacy_follows_command_response() -> None:
    data = (
        BANNER + b"Response: Follows\r\nPrivilege: Command\r\nActionID: 7\r\n"
        b"Name: looks like a header\n"
        b"\n"
        b"Asterisk 13.1 built by x: y\n"
        b"--END COMMAND--\r\n\r\n"
        b"Event: After\r\n\r\n"
    )
    parser = Parser()
    whole = parser.feed(data)
    assert [m.name for m in whole] == ["Follows", "After"]
    follows = whole[0]
    assert follows.action_id == "7"
    assert follows["Privilege"] == "Command"
    assert follows.getlist("Output") == [
        "Name: looks like a header",
        "",
        "Asterisk 13.1 built by x: y",
    ]
    # and byte by byte gives the same
    parser = Parser()
    chunked: list[Message] = []
    for i in range(len(data)):
        chunked += parser.feed(data[i : i + 1])
    assert chunked == whole


def test_legacy_follows_end_marker_glued_to_last_line() -> None:
    data = b"Response: Follows\r\nActionID: 1\r\nline one\nlast--END COMMAND--\r\n\r\n"
    _, msgs = parse_all(data)
    assert msgs[0].getlist("Output") == ["line one", "last"]


# -- encoders -----------------------------------------------------------------------------
def test_encode_action_dict_and_repeated_headers() -> None:
    data = encode_action(
        "Originate",
        {"Channel": "PJSIP/100", "Timeout": 30000, "Async": True, "Variable": ["A=1", "B=2"]},
    )
    assert data == (
        b"Action: Originate\r\nChannel: PJSIP/100\r\nTimeout: 30000\r\nAsync: true\r\n"
        b"Variable: A=1\r\nVariable: B=2\r\n\r\n"
    )


def test_encode_action_list_of_pairs_and_none_skipped() -> None:
    data = encode_action("Setvar", [("Variable", "X"), ("Value", "a: b"), ("Channel", None)])
    assert data == b"Action: Setvar\r\nVariable: X\r\nValue: a: b\r\n\r\n"
    assert encode_action("Ping") == b"Action: Ping\r\n\r\n"


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("Command", {"Command": "core show version\r\nAction: Command\r\nCommand: core stop now"}),
        ("Command", {"Command": "x\nEvents: on"}),
        ("Command", {"Command": "x\r"}),
        ("Ping\r\nAction: Command", {}),
        ("Originate", {"Variable": ["A=1", "B=2\r\nApplication: System"]}),
        ("Ping", {"Evil\r\nAction": "x"}),
        ("Ping", {"Bad: key": "x"}),
        ("Ping", {"": "x"}),
        ("", {}),
    ],
)
def test_encode_action_refuses_injection(name: str, headers: dict) -> None:
    with pytest.raises(ValueError):
        encode_action(name, headers)


def test_encode_message_roundtrip() -> None:
    msg = Message([("Event", "X"), ("A", "1"), ("A", "2"), ("B", "")])
    assert Parser().feed(msg.encode()) == [msg]
    assert encode_message({"Response": "Success"}) == b"Response: Success\r\n\r\n"


# -- property tests -----------------------------------------------------------------------
KEY = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1
)
# Printable text without CR/LF (any other character, including ": " and non-ASCII, is fine).
VALUE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
    st.lists(st.sampled_from(["a", ": ", ":", " ", "x: y", "é", "--"])).map("".join),
)
HEADER = st.tuples(st.one_of(KEY, st.sampled_from(["Event", "ActionID", "Output"])), VALUE)


def _not_legacy_follows(headers: list[tuple[str, str]]) -> bool:
    return not any(k.lower() == "response" and v.strip().lower() == "follows" for k, v in headers)


MESSAGE = (
    st.lists(HEADER, min_size=1, max_size=8)
    .filter(_not_legacy_follows)
    # repeat some headers to exercise multi-valued keys
    .map(lambda hs: hs + hs[:1] if len(hs) % 2 else hs)
    .map(Message)
)


@st.composite
def stream_and_cuts(draw: st.DrawFn) -> tuple[list[Message], bytes, list[int], bool]:
    messages = draw(st.lists(MESSAGE, max_size=6))
    bare_lf = draw(st.booleans())
    data = BANNER + b"".join(m.encode() for m in messages)
    if bare_lf:
        data = data.replace(b"\r\n", b"\n")
    cuts = sorted(draw(st.lists(st.integers(0, len(data)), max_size=12)))
    return messages, data, cuts, bare_lf


@settings(max_examples=300, deadline=None)
@given(stream_and_cuts())
def test_property_chunking_never_changes_the_result(
    case: tuple[list[Message], bytes, list[int], bool],
) -> None:
    messages, data, cuts, _ = case
    whole_parser = Parser()
    whole = whole_parser.feed(data)

    parser = Parser()
    chunked: list[Message] = []
    bounds = [0, *cuts, len(data)]
    for start, end in itertools.pairwise(bounds):
        chunked += parser.feed(data[start:end])

    assert chunked == whole
    assert whole == messages
    assert parser.banner == whole_parser.banner == "Asterisk Call Manager/11.0.0"
    assert not parser.pending


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.lists(st.integers(0, 300), max_size=8))
def test_property_garbage_never_crashes(data: bytes, cuts: list[int]) -> None:
    parser = Parser()
    bounds = [0, *sorted(c for c in cuts if c <= len(data)), len(data)]
    chunked: list[Message] = []
    for start, end in itertools.pairwise(bounds):
        chunked += parser.feed(data[start:end])
    assert chunked == Parser().feed(data)


@given(st.text(max_size=20), VALUE)
def test_property_encode_action_never_emits_extra_lines(key: str, value: str) -> None:
    try:
        data = encode_action("UserEvent", [(key, value)])
    except ValueError:
        assert "\r" in key or "\n" in key or ":" in key or not key or key != key.strip()
        return
    assert data.count(b"\r\n") == 3  # Action line, our header, blank terminator
    assert Parser().feed(data) == [Message([("Action", "UserEvent"), (key, value)])]

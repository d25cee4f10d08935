"""Following a log file across appends, partial lines, rotations and truncations
(centrex/pbx/ingest/follow.py), on real files: every complete line once, and only once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from centrex.pbx.ingest.follow import Position, follow
from centrex.pbx.ingest.records import parse_cdr, parse_queue_log


def read_all(path: Path, position: Position, chunk_bytes: int = 64) -> tuple[list[bytes],
                                                                             Position]:
    lines: list[bytes] = []
    for chunk in follow(path, position, chunk_bytes):
        lines += chunk.lines
        position = chunk.position
    return lines, position


def test_appends_and_a_partial_last_line(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"one\ntwo\nthr")
    lines, pos = read_all(log, Position())
    assert lines == [b"one", b"two"]
    with log.open("ab") as handle:
        handle.write(b"ee\nfour\n")
    lines, pos = read_all(log, pos)
    assert lines == [b"three", b"four"]
    assert read_all(log, pos)[0] == []


def test_no_file_yet_is_nothing(tmp_path: Path) -> None:
    assert read_all(tmp_path / "queue_log", Position()) == ([], Position())


def test_rotation_by_renaming_reads_the_rest_of_the_old_file_first(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"a\nb\n")
    lines, pos = read_all(log, Position())
    with log.open("ab") as handle:
        handle.write(b"c\n")  # written just before the rotation, not read yet
    log.rename(tmp_path / "queue_log.1")
    log.write_bytes(b"d\ne\n")
    lines, pos = read_all(log, pos)
    assert lines == [b"c", b"d", b"e"]
    assert read_all(log, pos)[0] == []


def _age(path: Path, seconds_ago: int) -> None:
    """Set a file's last write ``seconds_ago``: the test does not depend on the file
    system's clock granularity."""
    when = time.time() - seconds_ago
    os.utime(path, (when, when))


@pytest.mark.parametrize(("old_name", "middle_name"), [
    ("queue_log.2", "queue_log.1"),  # logrotate's numbering: the oldest copy has the highest
    ("queue_log.0", "queue_log.1"),  # Asterisk's "sequential": the newest has the highest
    ("queue_log-20261121", "queue_log-20261122"),  # dated copies
], ids=["rotate", "sequential", "dated"])
def test_two_rotations_while_stopped_read_every_copy_in_order(tmp_path: Path, old_name: str,
                                                              middle_name: str) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"a\n")
    _lines, pos = read_all(log, Position())
    with log.open("ab") as handle:
        handle.write(b"b\n")  # the rest of the file read last time
    _age(log, 300)
    log.rename(tmp_path / old_name)  # the first rotation (a copy keeps its inode when it
    log.write_bytes(b"c\n")  # is renamed again: only the final names matter)
    _age(log, 200)
    log.rename(tmp_path / middle_name)  # the second
    log.write_bytes(b"d\n")
    (tmp_path / "queue_log.3.gz").write_bytes(b"\x1f\x8b compressed\n")  # older lines
    lines, pos = read_all(log, pos)
    assert lines == [b"b", b"c", b"d"]
    assert read_all(log, pos)[0] == []


def test_killed_while_reading_a_rotated_copy_goes_on_from_there(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"a\n")
    _lines, pos = read_all(log, Position())
    _age(log, 300)
    log.rename(tmp_path / "queue_log.2")
    log.write_bytes(b"".join(b"m%d\n" % i for i in range(20)))
    _age(log, 200)
    log.rename(tmp_path / "queue_log.1")
    log.write_bytes(b"z\n")
    got: list[bytes] = []
    for chunk in follow(log, pos, chunk_bytes=16):  # stops after a piece of the middle copy
        got += chunk.lines
        pos = chunk.position
        if len(got) > 5:
            break
    got += read_all(log, pos)[0]
    assert got == [*(b"m%d" % i for i in range(20)), b"z"]


def test_rotated_file_gone_starts_the_new_one_from_its_start(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"a\n")
    _lines, pos = read_all(log, Position())
    log.unlink()
    log.write_bytes(b"b\n")
    assert read_all(log, pos)[0] == [b"b"]


def test_truncated_file_is_read_again_from_its_start(tmp_path: Path) -> None:
    log = tmp_path / "queue_log"
    log.write_bytes(b"a\nb\nc\n")
    _lines, pos = read_all(log, Position())
    log.write_bytes(b"d\n")  # same inode, shorter: copytruncate
    assert read_all(log, pos)[0] == [b"d"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=30).map(lambda b: b.replace(b"\n", b"x")),
                min_size=1, max_size=40),
       st.lists(st.integers(1, 200), min_size=1, max_size=10),
       st.integers(1, 50))
def test_any_way_of_writing_and_reading_gives_every_line_once(tmp_path_factory, lines, cuts,
                                                              chunk) -> None:
    log = tmp_path_factory.mktemp("follow") / "cdr.json"
    data = b"".join(line + b"\n" for line in lines)
    got: list[bytes] = []
    pos = Position()
    written = 0
    for cut in [*cuts, len(data)]:
        end = min(len(data), written + cut)
        with log.open("ab") as handle:
            handle.write(data[written:end])
        written = end
        more, pos = read_all(log, pos, chunk)
        got += more
    assert got == lines


def test_a_cdr_line_as_asterisk_writes_it() -> None:
    line = (b'{"uniqueid":"1795417817.0","linkedid":"1795417817.0","sequence":0,'
            b'"start":1795417817.059606,"answer":1795417818.067111,"end":1795417820.076395,'
            b'"duration":3,"billsec":2,"disposition":"ANSWERED","src":"2791","dst":"2792",'
            b'"dcontext":"centrex-phones","clid":"\\"Scratch A\\" <2791>",'
            b'"channel":"PJSIP/uoocmcfeybdd-00000000","dstchannel":"PJSIP/u3339tb95d46-00000001",'
            b'"lastapp":"Dial","lastdata":"PJSIP/u3339tb95d46,20","accountcode":"",'
            b'"userfield":""}')
    cdr = parse_cdr(line)
    assert cdr is not None
    assert (cdr.disposition, cdr.billsec, cdr.src, cdr.dst) == ("answered", 2, "2791", "2792")
    assert cdr.clid == '"Scratch A" <2791>' and cdr.answer and cdr.answer > cdr.start
    no_answer = line.replace(b'"answer":1795417818.067111', b'"answer":0')
    assert parse_cdr(no_answer).answer is None


def test_lines_that_are_not_records_are_skipped_not_raised() -> None:
    for junk in (b"", b"{", b"[]", b'{"uniqueid":"1.0"}', b'{"uniqueid":"1.0","sequence":"x",'
                 b'"start":1,"end":2}', b"\xff\xfe"):
        assert parse_cdr(junk) is None
    for junk in (b"", b"abc|def", b"x|1|q|a|ENTERQUEUE", b"1|2|3|4|"):
        assert parse_queue_log(junk) is None
    event = parse_queue_log(b"1795417817|1795417817.3|Support|Alice|CONNECT|5|1795417817.4|2")
    assert event is not None and event.event == "CONNECT" and event.data == ("5",
                                                                             "1795417817.4", "2")

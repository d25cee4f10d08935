"""Bulk writes (centrex/reports/fastsql.py): the cycle collector paused during one write
comes back as it was, whatever happens inside."""

from __future__ import annotations

import gc

import pytest

from centrex.reports.fastsql import no_cycle_collection


def test_the_cycle_collector_is_paused_then_restored() -> None:
    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), no_cycle_collection():
        raise RuntimeError("a write that fails")
    assert gc.isenabled(), "a failed write must not leave the collector off"


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

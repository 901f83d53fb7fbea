"""collector_paused: overlapping pauses (threads of one build) restore the collector once."""

from __future__ import annotations

import gc
import threading

import pytest

from flows.transforms.collector import collector_paused


@pytest.fixture
def restore_collector():
    was_enabled = gc.isenabled()
    yield
    (gc.enable if was_enabled else gc.disable)()


@pytest.mark.parametrize("enabled", [True, False])
def test_a_pause_restores_what_it_found(restore_collector, enabled):
    (gc.enable if enabled else gc.disable)()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("a stage failing midway")
    assert gc.isenabled() is enabled


def test_overlapping_pauses_in_threads_leave_the_collector_enabled(restore_collector):
    gc.enable()
    first_inside, second_inside, first_may_leave = (threading.Event() for _ in range(3))
    seen_after_first_left = []

    def first() -> None:
        with collector_paused():
            first_inside.set()
            first_may_leave.wait(5)

    def second() -> None:
        first_inside.wait(5)
        with collector_paused():  # starts while the first pause holds: sees gc disabled
            second_inside.set()
            worker.join(5)  # the first pause ends while this one is still open
            seen_after_first_left.append(gc.isenabled())

    worker = threading.Thread(target=first)
    other = threading.Thread(target=second)
    worker.start()
    other.start()
    second_inside.wait(5)
    first_may_leave.set()
    other.join(5)
    assert seen_after_first_left == [False]  # still paused for the second stage
    assert gc.isenabled()  # and restored once both ended

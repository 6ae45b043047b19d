"""The worker's batcher: a lone command is taken at once; commands arriving together go to the model together."""

from __future__ import annotations

import queue
import threading
import time

from nanoiot.gateway.batcher import Batcher


def _batcher(q: "queue.Queue[float]", max_size: int = 4, wait: float = 1.0) -> Batcher[float]:
    return Batcher(q, max_size, wait, arrived=lambda t: t)


def test_a_command_arriving_alone_does_not_wait_for_company() -> None:
    q: queue.Queue[float] = queue.Queue()
    batcher = _batcher(q)
    q.put(time.monotonic())
    assert len(batcher.next(timeout=1)) == 1
    assert batcher.waited == 0
    assert batcher.next(timeout=0.01) == []


def test_queued_commands_come_as_one_batch_bounded_by_max_size() -> None:
    q: queue.Queue[float] = queue.Queue()
    batcher = _batcher(q, max_size=4)
    for _ in range(6):
        q.put(time.monotonic())
    assert [len(batcher.next(timeout=1)) for _ in range(2)] == [4, 2]
    assert batcher.figures()["batches"] == 2 and batcher.figures()["mean_batch"] == 3.0


def test_while_a_stream_arrives_the_batch_waits_for_the_next_commands() -> None:
    q: queue.Queue[float] = queue.Queue()
    batcher = _batcher(q, max_size=4, wait=5.0)
    q.put(time.monotonic())
    q.put(time.monotonic())  # two together: a stream

    def more() -> None:
        for _ in range(3):
            time.sleep(0.02)
            q.put(time.monotonic())

    producer = threading.Thread(target=more)
    producer.start()
    batch = batcher.next(timeout=1)
    producer.join()
    assert len(batch) == 4 and batcher.waited == 1  # filled to max_size well before the 5 s bound
    assert len(batcher.next(timeout=1)) == 1


def test_no_wait_configured_takes_only_what_is_queued() -> None:
    q: queue.Queue[float] = queue.Queue()
    batcher = _batcher(q, wait=0.0)
    q.put(time.monotonic())
    q.put(time.monotonic())
    assert len(batcher.next(timeout=1)) == 2 and batcher.waited == 0

"""The in-process SQLite writer lock: arrival order, bounded waits."""

from __future__ import annotations

import threading
import time

from models.writer import FifoLock


def test_a_free_lock_is_taken_at_once_and_a_held_one_times_out() -> None:
    lock = FifoLock()
    assert lock.acquire(timeout=0.01)
    assert not lock.acquire(timeout=0.01)
    lock.release()
    assert lock.acquire(timeout=0.01)
    lock.release()


def test_waiters_get_the_lock_in_arrival_order() -> None:
    lock = FifoLock()
    assert lock.acquire(timeout=1)
    order: list[int] = []

    def wait(n: int) -> None:
        assert lock.acquire(timeout=5)
        order.append(n)
        lock.release()

    threads = []
    for n in range(5):
        thread = threading.Thread(target=wait, args=(n,))
        thread.start()
        threads.append(thread)
        deadline = time.monotonic() + 5
        while len(lock._waiters) < n + 1:  # queued before the next one starts
            assert time.monotonic() < deadline
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join(timeout=5)
    assert order == [0, 1, 2, 3, 4]
    assert lock.acquire(timeout=0.01)  # free again once the last one released it
    lock.release()

"""Run functions at the same moment in separate threads, each on its own database
connection, the way two simultaneous requests would (STYLE.md §11)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections

requires_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SELECT ... FOR UPDATE needs PostgreSQL; CI runs these on PostgreSQL",
)


def run_concurrently(*functions: Callable[[], object], timeout: float = 30) -> list:
    """Start every function together (behind a barrier); return each one's result or the
    exception it raised, in order.

    Fails if any function is still running ``timeout`` seconds after the start: a thread
    stuck on a lock is a deadlock to fix, not a result to leave out."""
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def runner(index: int, function: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = function()
        except Exception as error:  # collected for the test to assert on
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        # Daemon threads: one stuck on a lock must not keep the test run from ending.
        threading.Thread(target=runner, args=(index, function), daemon=True)
        for index, function in enumerate(functions)
    ]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [index for index, thread in enumerate(threads) if thread.is_alive()]
    if stuck:
        raise AssertionError(
            f"function(s) {stuck} still running after {timeout} s (waiting on a lock?); "
            f"results so far: {results}"
        )
    return results

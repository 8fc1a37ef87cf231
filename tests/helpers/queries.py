"""Query counts are part of the contract: a list runs as many queries for 1 row as for 50."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fetch: Callable[[], object]) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as context:
        result = fetch()
    return len(context.captured_queries), result


def assert_constant_queries(
    testcase, fetch: Callable[[], object], add_rows: Callable[[int], object], *, rows: int = 50
) -> None:
    """Fetch with the rows the test made (one, say), add up to ``rows`` more, fetch again:
    the number of queries must not change."""
    fetch()  # warm caches (content types, sessions) so both counts see the same state
    small, response = count_queries(fetch)
    testcase.assertEqual(getattr(response, "status_code", 200), 200)
    add_rows(rows - 1)
    large, response = count_queries(fetch)
    testcase.assertEqual(getattr(response, "status_code", 200), 200)
    testcase.assertEqual(
        small, large, f"{small} queries for one row but {large} for {rows} rows (N+1?)"
    )

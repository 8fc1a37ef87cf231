"""The bulk-upsert endpoint's JSON parser: the portal's parser with larger limits.

``students/bulk-upsert/`` takes up to 10,000 student rows of about a dozen fields each,
more than the portal-wide caps allow (``DATA_UPLOAD_MAX_MEMORY_SIZE``, 5 MB, and
``API_MAX_JSON_VALUES``, 20,000 values). Only that one view uses this parser, so every
other endpoint keeps the global limits. 10,000 rows at ~200 bytes and 13 values each
come to about 2 MB and 130,000 values; the limits leave room for long names without
letting a body grow without bound.
"""

from __future__ import annotations

from portal.parsers import PortalJSONParser

BULK_MAX_BODY_BYTES = 20 * 1024 * 1024
BULK_MAX_JSON_VALUES = 200_000


class BulkUpsertJSONParser(PortalJSONParser):
    """JSON bodies up to ``BULK_MAX_BODY_BYTES`` and ``BULK_MAX_JSON_VALUES`` values,
    at the portal's usual depth (``API_MAX_JSON_DEPTH``)."""

    max_body_bytes = BULK_MAX_BODY_BYTES
    max_values = BULK_MAX_JSON_VALUES

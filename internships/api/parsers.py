"""The bulk-upsert endpoint's JSON parser: the portal's parser with larger limits.

``students/bulk-upsert/`` takes up to 10,000 student rows of about a dozen fields each,
more than the portal-wide caps allow (``DATA_UPLOAD_MAX_MEMORY_SIZE``, 5 MB, and
``API_MAX_JSON_VALUES``, 20,000 values). Only that one view uses this parser, so every
other endpoint keeps the global limits. 10,000 rows at ~200 bytes and 13 values each
come to about 2 MB and 130,000 values; the limits leave room for long names without
letting a body grow without bound.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from portal.parsers import PortalJSONParser, RequestBodyTooLarge, check_json_shape

BULK_MAX_BODY_BYTES = 20 * 1024 * 1024
BULK_MAX_JSON_VALUES = 200_000


class BulkUpsertJSONParser(PortalJSONParser):
    """JSON bodies up to ``BULK_MAX_BODY_BYTES`` and ``BULK_MAX_JSON_VALUES`` values,
    at the portal's usual depth (``API_MAX_JSON_DEPTH``)."""

    max_body_bytes = BULK_MAX_BODY_BYTES
    max_values = BULK_MAX_JSON_VALUES

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(self.max_body_bytes + 1)
        if len(raw) > self.max_body_bytes:
            raise RequestBodyTooLarge(
                _("The request body is larger than %(size)d bytes.") % {"size": self.max_body_bytes}
            )
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=self._refuse_constant)
        except RecursionError:
            raise ParseError(_("The request nests too deeply.")) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from None
        check_json_shape(data, max_depth=settings.API_MAX_JSON_DEPTH, max_values=self.max_values)
        return data

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(f"{name} is not valid JSON")

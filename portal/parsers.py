"""The API's JSON parser, with limits: a body larger than the upload limit answers 413,
and one nested deeper or holding more values than a real client sends answers 400,
both before any serializer runs (``json`` itself recurses, so depth is capped too)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser


def body_too_large_message(size: int | None = None) -> str:
    return _("The request body is larger than %(size)d bytes.") % {
        "size": size if size is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }


class RequestBodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _check_text(text: str) -> None:
    """JSON may escape half of a surrogate pair (``"\\ud800"``): no such text can be
    stored or written back (an error message quoting it would fail), so it is refused
    here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(_("The request holds text that is not valid Unicode.")) from None


def check_json_shape(data, *, max_depth: int, max_values: int) -> None:
    """Raise ParseError if ``data`` nests deeper than ``max_depth``, holds more than
    ``max_values`` values in all, or holds text that is not valid Unicode. Walks with an
    explicit stack, never recursion."""
    stack = [(data, 1)]
    values = 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > max_values:
            raise ParseError(
                _("The request holds more than %(count)d values.") % {"count": max_values}
            )
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(
                    _("The request nests deeper than %(depth)d levels.") % {"depth": max_depth}
                )
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
            if isinstance(value, dict):
                for key in value:
                    _check_text(key)
        elif isinstance(value, str):
            _check_text(value)


class PortalJSONParser(JSONParser):
    """A view that must take larger bodies (a bulk upload) subclasses this with its own
    ``max_body_bytes`` and ``max_values``; every other view keeps the settings' limits."""

    max_body_bytes: int | None = None  # DATA_UPLOAD_MAX_MEMORY_SIZE
    max_values: int | None = None  # API_MAX_JSON_VALUES

    def parse(self, stream, media_type=None, parser_context=None):
        limit = self.max_body_bytes or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestBodyTooLarge(body_too_large_message(limit))
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_("The request nests too deeply.")) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from None
        check_json_shape(
            data,
            max_depth=settings.API_MAX_JSON_DEPTH,
            max_values=self.max_values or settings.API_MAX_JSON_VALUES,
        )
        return data

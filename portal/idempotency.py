"""``Idempotency-Key`` for API actions that move money: a repeat with the same key and
body returns the first response and does nothing again; the same key with another body
answers 422."""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.response import Response

from portal.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(action):
    """Wrap a DRF action: with an Idempotency-Key header, it runs at most once per key
    and user; the first response is stored and replayed."""

    @wraps(action)
    def wrapper(viewset, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key:
            return action(viewset, request, *args, **kwargs)
        if len(key) > 200:
            return Response(
                {"detail": "The Idempotency-Key header is longer than 200 characters."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            # The row is created (or found) and locked first, so a concurrent repeat
            # waits for the first call to finish and then replays its answer.
            try:
                with transaction.atomic():
                    record, _created = IdempotencyRecord.objects.get_or_create(
                        user=request.user, key=key, defaults={"fingerprint": fingerprint}
                    )
            except IntegrityError:
                record = IdempotencyRecord.objects.get(user=request.user, key=key)
            record = IdempotencyRecord.objects.select_for_update().get(pk=record.pk)
            if record.fingerprint != fingerprint:
                return Response(
                    {
                        "detail": "This Idempotency-Key was used with a different request.",
                        "code": "idempotency_key_reused",
                    },
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
            if record.status_code is not None:
                response = Response(record.body, status=record.status_code)
                response["Idempotent-Replayed"] = "true"
                return response
            response = action(viewset, request, *args, **kwargs)
            if response.status_code < 500:
                record.status_code = response.status_code
                record.body = response.data
                record.save(update_fields=["status_code", "body"])
            return response

    return wrapper

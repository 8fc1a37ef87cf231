import io
import json

from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings(db):
    # --fail-on-warn turns every schema warning (an unnamed enum, an untyped filter)
    # into a failure (CommandError), so `make test` catches what CI's schema check would.
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out
    )
    schema = json.loads(out.getvalue())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/fund-applications/{id}/approve/" in schema["paths"]
    assert "/api/v1/tranches/{id}/history/" in schema["paths"]

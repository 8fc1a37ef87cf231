import os

from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings(db):
    # --fail-on-warn turns every schema warning (an unnamed enum, an untyped filter)
    # into a failure, so `make test` catches what CI's schema check would.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)

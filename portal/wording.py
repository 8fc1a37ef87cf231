"""Small pieces of wording that differ by language beyond their translation.

A list of names reads "院校、企业" in Chinese (the enumeration comma, full width) and
"College, Enterprise" in English; a half-width ", " between Chinese words looks broken.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.functional import Promise, lazy


def list_separator() -> str:
    """The separator of a list in the active language."""
    language = translation.get_language() or ""
    return "、" if language.startswith("zh") else ", "


def join_words(items: Iterable) -> str:
    """The items (each rendered now, lazy ones in the active language) as one list."""
    return list_separator().join(str(item) for item in items)


def joined_later(items: Iterable) -> Promise:
    """``join_words`` when shown: in a notification, in each recipient's language."""
    return lazy(join_words, str)(list(items))

from django import template

from portal.wording import join_words

register = template.Library()


@register.filter
def join_list(items) -> str:
    """``{{ names|join_list }}``: "A, B" in English, "A、B" in Chinese (auto-escaped)."""
    return join_words(items or [])

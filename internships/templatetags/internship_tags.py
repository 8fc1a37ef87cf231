from django import template

register = template.Library()


@register.filter
def findings_for(compliance: dict | None, field: str) -> list:
    """The compliance findings about one form field (``compliance.by_field``)."""
    return (compliance or {}).get(field, [])

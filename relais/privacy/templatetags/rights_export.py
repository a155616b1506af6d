"""Filters for the rights export (keys with spaces and accents, lists)."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping[key]


@register.filter
def join_if_list(value):
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    return value

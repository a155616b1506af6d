"""``{% upcoming_sessions place %}`` for the public page of a place; ``|minutes`` for durations."""

from django import template

from ..queries import upcoming_sessions as upcoming_sessions_of

register = template.Library()


@register.inclusion_tag("workshops/includes/upcoming_sessions.html")
def upcoming_sessions(place, limit: int = 10, heading_level: int = 2):
    """The next open sessions of a place, with seats left and a registration link each."""
    return {
        "place": place,
        "sessions": upcoming_sessions_of(place, limit),
        "heading_tag": f"h{heading_level}",
    }


@register.filter
def minutes(value) -> str:
    """90 → « 1 h 30 », 120 → « 2 h », 45 → « 45 min »."""
    try:
        total = int(value)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"

"""``{% advisor_appointments advisor as appointments %}``: an adviser's booked appointments
of the next two weeks, for « Ma semaine » (relais/planning/templates/planning/my_week.html)."""

from django import template

from ..queries_appointments import appointments_for_week

register = template.Library()


@register.simple_tag
def advisor_appointments(advisor):
    if advisor is None:
        return []
    return appointments_for_week(advisor)

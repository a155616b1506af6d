"""``{% beneficiary_mandates beneficiary %}``: the mandates and rights card of a beneficiary."""

from django import template

from relais.privacy.queries import is_objecting

from ..queries import beneficiary_mandate_counts

register = template.Library()


@register.inclusion_tag("mandates/includes/beneficiary_links.html")
def beneficiary_mandates(beneficiary):
    return {
        "beneficiary": beneficiary,
        "counts": beneficiary_mandate_counts(beneficiary),
        "objecting": is_objecting(beneficiary),
    }

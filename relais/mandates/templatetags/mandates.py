"""``{% beneficiary_mandates beneficiary %}``: the mandates and rights card of a beneficiary."""

from django import template

from ..queries import beneficiary_mandate_counts

register = template.Library()


@register.inclusion_tag("mandates/includes/beneficiary_links.html")
def beneficiary_mandates(beneficiary):
    from relais.privacy.rights import is_objecting

    return {
        "beneficiary": beneficiary,
        "counts": beneficiary_mandate_counts(beneficiary),
        "objecting": is_objecting(beneficiary),
    }

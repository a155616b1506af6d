"""Who may do what with the committee (Art. 3.4).

- Coordinators (the Département convenes the committee) manage members, meetings and actions.
- Committee members, administrators and coordinators read meetings, actions and reviews.
- Partner staff read the annual review of their own structure only.
"""

from relais.accounts.enums import Role

READERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.COMMITTEE_MEMBER})


def can_view_committee(user) -> bool:
    return user.is_authenticated and user.role in READERS


def can_manage_committee(user) -> bool:
    return user.is_authenticated and user.role == Role.COORDINATOR


def can_view_review(user, partner=None) -> bool:
    """``partner=None``: the département-wide review."""
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return partner is not None and partner.pk == user.organisation_id
    return user.role in READERS

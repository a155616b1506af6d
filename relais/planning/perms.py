"""Who may see and change the planning.

Coordinators and administrators run the planning. Partner staff record the exceptional
closures of their own structure's places. An adviser sees their own week. The committee sees
the programme's figures elsewhere, not the planning.
"""

from relais.accounts.enums import Role

MANAGERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})


def can_manage_planning(user) -> bool:
    return user.is_authenticated and user.role in MANAGERS


def can_view_planning(user) -> bool:
    return can_manage_planning(user)


def can_view_closures(user) -> bool:
    return user.is_authenticated and (user.role in MANAGERS or user.is_partner_staff)


def can_manage_closure(user, place) -> bool:
    """Coordinators: any place; partner staff: their structure's places only."""
    if not user.is_authenticated:
        return False
    if user.role in MANAGERS:
        return True
    return (
        user.is_partner_staff
        and user.organisation_id is not None
        and place.partner_id == user.organisation_id
    )


def can_view_my_week(user) -> bool:
    return user.is_authenticated and user.is_advisor

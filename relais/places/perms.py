"""Who may see and change places. Partner staff are scoped to their structure's places."""

from relais.accounts.enums import Role

DEPARTMENT_MANAGERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})


def can_view_place(user, place) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return place.partner_id == user.organisation_id
    return True


def can_change_place(user, place) -> bool:
    """Coordinators and administrators: any place; partner staff: their structure's places."""
    if not user.is_authenticated:
        return False
    if user.role in DEPARTMENT_MANAGERS:
        return True
    if user.is_partner_staff:
        return user.organisation_id is not None and place.partner_id == user.organisation_id
    return False


def can_change_place_coordinates(user, place) -> bool:
    """Coordinates feed the travel estimates and the open data: Département staff only."""
    return user.is_authenticated and user.role in DEPARTMENT_MANAGERS

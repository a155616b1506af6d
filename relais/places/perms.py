"""Who may see and change places. Partner staff are scoped to their structure's places."""

from relais.accounts.enums import Role


def can_view_place(user, place) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return place.partner_id == user.organisation_id
    return True


def can_change_place(user, place) -> bool:
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}

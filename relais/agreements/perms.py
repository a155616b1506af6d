"""Who may see and change agreements and deliberations."""

from relais.accounts.enums import Role

MANAGERS = {Role.COORDINATOR, Role.ADMINISTRATOR}


def can_view_agreements(user) -> bool:
    return user.is_authenticated and user.role in {
        *MANAGERS,
        Role.COMMITTEE_MEMBER,
        Role.PARTNER_STAFF,
    }


def can_view_agreement(user, agreement) -> bool:
    """Partner staff see their own structure's agreements; the committee reads all."""
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return agreement.partner_id == user.organisation_id
    return user.role in {*MANAGERS, Role.COMMITTEE_MEMBER}


def can_manage_agreement(user, agreement=None) -> bool:
    return user.is_authenticated and user.role in MANAGERS


def can_import_agreement(user) -> bool:
    return user.is_authenticated and user.role in MANAGERS


def can_view_deliberation(user, deliberation) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return deliberation.organisation_id == user.organisation_id
    return user.role in {*MANAGERS, Role.COMMITTEE_MEMBER}

"""Who may see and change agreements and deliberations."""

from relais.accounts.enums import Role

from .enums import PartyRole

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


def _is_partner_of(user, agreement) -> bool:
    return bool(user.is_partner_staff and agreement.partner_id == user.organisation_id)


def can_request_communication(user, agreement) -> bool:
    """The partner's staff ask for their structure; coordinators record either party's."""
    if not user.is_authenticated:
        return False
    return user.role in MANAGERS or _is_partner_of(user, agreement)


def can_decide_communication(user, request) -> bool:
    """The other party decides: the Département's coordinators on the partner's requests, the
    partner's staff on the Département's (Art. 5)."""
    if not user.is_authenticated:
        return False
    if request.decider == PartyRole.DEPARTMENT:
        return user.role in MANAGERS
    return _is_partner_of(user, request.agreement)


def can_follow_up_communication(user, request) -> bool:
    """The requesting side corrects or withdraws its own request."""
    if not user.is_authenticated:
        return False
    if request.requested_by == PartyRole.PARTNER:
        return _is_partner_of(user, request.agreement) or user.role in MANAGERS
    return user.role in MANAGERS

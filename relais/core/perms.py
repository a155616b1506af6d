"""Who may see reference data."""

from relais.accounts.enums import Role


def can_view_organisations(user) -> bool:
    return user.is_authenticated and user.role in {
        Role.COORDINATOR,
        Role.ADMINISTRATOR,
        Role.COMMITTEE_MEMBER,
    }


def can_view_organisation(user, organisation) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return organisation.pk == user.organisation_id
    return can_view_organisations(user)

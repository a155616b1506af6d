"""Who may see named data about the people helped (professional secrecy, convention art. 2).

Decision: names and profiles are shared within the team of advisers only — they are the agents
bound by the secrecy of art. 2 and they take turns at the same places, so a person helped by one
is recognised by another. Coordinators, partner staff, the committee and administrators see
aggregates only (the statistics pages); they get 403 on every page that shows a name.
"""

from relais.accounts.enums import Role

NAMED_DATA_ROLES = frozenset({Role.ADVISOR})


def can_view_named_data(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in NAMED_DATA_ROLES


def can_view_beneficiaries(user) -> bool:
    return can_view_named_data(user)


def can_view_beneficiary(user, beneficiary) -> bool:
    return can_view_named_data(user)


def can_change_beneficiary(user, beneficiary) -> bool:
    return can_view_named_data(user)


def can_delete_beneficiary(user, beneficiary) -> bool:
    return can_view_named_data(user)


def can_import_beneficiaries(user) -> bool:
    return can_view_named_data(user)

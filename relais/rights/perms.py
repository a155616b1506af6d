"""Who keeps the register of rights requests and who may act on a person's record."""

from relais.accounts.enums import Role
from relais.beneficiaries.perms import can_view_named_data


def can_handle_rights(user) -> bool:
    """Who keeps the register: record, follow, extend and close requests.

    The controller is the Département (convention, art. 4): its coordinators answer for it,
    with the data protection officer (who has no account: coordinators record what reaches
    the DPO). Advisers keep it too: they meet the people and receive most requests.
    """
    return can_view_named_data(user) or (user.is_authenticated and user.role == Role.COORDINATOR)


def can_act_on_record(user) -> bool:
    """Carrying a request out on the person's record (copy, erasure, opposition): the team's
    advisers, who alone see the records (professional secrecy, convention art. 2)."""
    return can_view_named_data(user)


def can_view_rights_summary(user) -> bool:
    """Coordinators and administrators follow deadlines without names."""
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}

"""Who may see and act on mandates (docs/decisions/0004-a-mandate-binds-the-team.md).

Mandates carry names and identity checks under professional secrecy (convention, art. 2): the
team's advisers only, like the beneficiaries' records. Coordinators and administrators see counts
by status (``mandates:summary``), never a mandate; partner staff and committee members see
nothing. A mandate given to the team lets any adviser act under it; a mandate restricted to its
signatory lets only that adviser record actions. Revocation is the beneficiary's right at any
time and place: any adviser records it.

The signed scan follows the right to act: uploading or replacing it is acting under the mandate
(whoever could replace it could swap the signed document), and so is reading the earlier,
replaced versions (a superseded file may be a mistake: another person's mandate, a wrong page).
The current scan is the signed mandate itself, shown with the mandate to the team's advisers.
"""

from relais.accounts.enums import Role
from relais.beneficiaries.perms import can_view_named_data

from .enums import Binding


def _advisor_id(user):
    advisor = getattr(user, "advisor", None) if user.is_authenticated else None
    return advisor.pk if advisor is not None else None


def can_view_mandates(user) -> bool:
    return can_view_named_data(user)


def can_create_mandate(user) -> bool:
    return can_view_named_data(user) and _advisor_id(user) is not None


def can_act_under(user, mandate) -> bool:
    advisor_id = _advisor_id(user)
    if not can_view_named_data(user) or advisor_id is None:
        return False
    return mandate.binds == Binding.TEAM or mandate.advisor_id == advisor_id


def can_upload_scan(user, mandate) -> bool:
    return can_act_under(user, mandate)


def can_view_scan(user, mandate) -> bool:
    """The current version: whoever sees the mandate."""
    return can_view_mandates(user)


def can_view_scan_versions(user, mandate) -> bool:
    """The earlier, replaced versions: whoever may act under the mandate."""
    return can_act_under(user, mandate)


def can_revoke(user, mandate) -> bool:
    return can_view_named_data(user)


def can_view_summary(user) -> bool:
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}

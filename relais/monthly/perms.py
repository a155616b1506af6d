"""Who may do what with the monthly partner reports (Art. 3.4).

- Advisers (the CnFS transmit « des informations concernant leur activité ») and coordinators
  prepare and submit the reports, and start a correction of a validated one.
- The partner's staff validate or return their own structure's submitted reports: the partner
  « est responsable de la fiabilité des informations transmises ». They see only their own.
- Administrators read every report (support); committee members see none (they get the
  annual review).
"""

from relais.accounts.enums import Role

PREPARERS = frozenset({Role.ADVISOR, Role.COORDINATOR})
READERS = PREPARERS | {Role.ADMINISTRATOR, Role.PARTNER_STAFF}


def can_list(user) -> bool:
    return user.is_authenticated and user.role in READERS


def can_view(user, report) -> bool:
    if not can_list(user):
        return False
    if user.is_partner_staff:
        return report.partner_id == user.organisation_id
    return True


def can_prepare(user) -> bool:
    return user.is_authenticated and user.role in PREPARERS


def can_validate(user, report) -> bool:
    return (
        user.is_authenticated
        and user.is_partner_staff
        and report.partner_id == user.organisation_id
    )

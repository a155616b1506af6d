"""Who sees the statistics and downloads the exports.

* Statistics (aggregates, never names): every staff role. Partner staff: their structure's
  places only (``stats.scoped_filters``); coordinators, administrators, committee members and
  advisers: everything (advisers see the whole programme's aggregates, as a team).
* Activity export (one row per activity, no beneficiary name, contact or note): the
  Département's team (coordinators, administrators, advisers) and partner staff for their own
  places. Committee members get the statistics exports only. The adviser's name is a column
  for the team only.
"""

from relais.accounts.enums import Role

TEAM = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.ADVISOR})


def can_view_statistics(user) -> bool:
    return user.is_authenticated and user.role in Role.values


def can_export_activities(user) -> bool:
    return user.is_authenticated and (user.role in TEAM or user.role == Role.PARTNER_STAFF)


def sees_advisor_names(user) -> bool:
    return user.is_authenticated and user.role in TEAM

"""Who sees the statistics and downloads the exports.

* Statistics (aggregates, never names): every staff role. Partner staff: their structure's
  places only (``stats.scoped_filters``); coordinators, administrators, committee members and
  advisers: everything (advisers see the whole programme's aggregates, as a team).
* Activity export (one row per activity, no beneficiary name, contact or note): the
  Département's team (coordinators, administrators, advisers) and partner staff for their own
  places. Committee members get the statistics exports only. The adviser's name is a column
  for the team only.
* Exact figures: the controller's staff (coordinators, administrators) on their own pages.
  Everybody else, and everything leaving through the API or the annual review, gets the
  figures through statistical disclosure control (``disclosure.protect``): a count under
  ``RELAIS_DISCLOSURE_THRESHOLD`` is « secret statistique ».
"""

from relais.accounts.enums import Role

TEAM = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.ADVISOR})


def can_view_statistics(user) -> bool:
    return user.is_authenticated and user.role in Role.values


def can_export_activities(user) -> bool:
    return user.is_authenticated and (user.role in TEAM or user.role == Role.PARTNER_STAFF)


def sees_advisor_names(user) -> bool:
    return user.is_authenticated and user.role in TEAM


def sees_exact_figures(user) -> bool:
    """The Département's coordination holds the data (the controller): it sees small counts."""
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}

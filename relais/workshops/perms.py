"""Who may do what with the catalogue and the programme.

- The public (no account) sees published topics, open sessions and the iCal feeds.
- Coordinators and administrators manage the catalogue (« créés et proposés par le
  Département ») and every session.
- Advisers see the catalogue and programme sessions (they run them).
- Partner staff read the programme of their structure's places (sessions, seat counts, the
  annexe 2 export) — never the names of the people registered.
- Committee members: the public pages, like everyone.
"""

from relais.accounts.enums import Role

CATALOGUE_MANAGERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
SESSION_MANAGERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.ADVISOR})


def can_manage_topics(user) -> bool:
    return user.is_authenticated and user.role in CATALOGUE_MANAGERS


def can_view_topics(user) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


def can_view_sessions(user) -> bool:
    """The staff list of sessions (scoped to their places for partner staff)."""
    return user.is_authenticated and (user.role in SESSION_MANAGERS or user.is_partner_staff)


def can_manage_sessions(user) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


def can_export_programme(user, place=None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return place is None or place.partner_id == user.organisation_id
    return user.role in SESSION_MANAGERS

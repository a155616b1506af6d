"""Who may see and change registrations (residents' personal data).

Only the Département's team — coordinators, administrators and advisers — see names and
contacts, register someone by phone or at the desk, mark attendance and cancel a session.
Partner staff see seat counts in the programme (relais.workshops.perms), never the people.
Residents act on their own registration through its secret link only.
"""

from relais.team.perms import can_act_as_advisor
from relais.workshops.perms import SESSION_MANAGERS


def can_view_registrations(user, session) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


def can_register_someone(user, session) -> bool:
    return can_view_registrations(user, session)


def can_mark_attendance(user, session) -> bool:
    return can_view_registrations(user, session)


def can_cancel_session(user, session) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


def can_report_session(user, session) -> bool:
    """Open the session's activity report from its roster: whoever may record an activity
    (``relais.activities.perms.can_record_activity``, which sits above this app; a test keeps
    the two equal)."""
    return can_act_as_advisor(user)

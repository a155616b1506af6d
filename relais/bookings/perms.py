"""Who may see and change registrations (residents' personal data).

Only the Département's team — coordinators, administrators and advisers — see names and
contacts, register someone by phone or at the desk, mark attendance and cancel a session.
Partner staff see seat counts in the programme (relais.workshops.perms), never the people.
Residents act on their own registration through its secret link only.
"""

from relais.workshops.perms import SESSION_MANAGERS


def can_view_registrations(user, session) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


def can_register_someone(user, session) -> bool:
    return can_view_registrations(user, session)


def can_mark_attendance(user, session) -> bool:
    return can_view_registrations(user, session)


def can_cancel_session(user, session) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


# --- Appointments ---------------------------------------------------------------------------------
# Advisers, coordinators and administrators see the people booked and mark who came; the
# coordinators (and administrators) keep the list of appointment types.


def can_view_appointments(user) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


def can_manage_appointment(user, appointment) -> bool:
    return can_view_appointments(user)


def can_manage_appointment_types(user) -> bool:
    from relais.accounts.enums import Role

    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}

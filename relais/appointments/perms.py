"""Who may see and change appointments (residents' personal data) and the booking rules.

Advisers, coordinators and administrators see the people booked and mark who came; the
coordinators (and administrators) keep the list of appointment types. A place's booking
rules (no personal data) are set by whoever may change the place, partner staff included.
Residents act on their own appointment through its secret link only.
"""

from relais.accounts.enums import Role
from relais.places import perms as place_perms
from relais.workshops.perms import SESSION_MANAGERS


def can_view_appointments(user) -> bool:
    return user.is_authenticated and user.role in SESSION_MANAGERS


def can_manage_appointment(user, appointment) -> bool:
    return can_view_appointments(user)


def can_manage_appointment_types(user) -> bool:
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}


def can_edit_place_appointment_settings(user, place) -> bool:
    """A place's own appointment rules (« Réglages des rendez-vous »): whoever may change the
    place — coordinators and administrators for any place, partner staff for their
    structure's places (``relais.places.perms.can_change_place``); advisers and others: no."""
    return place_perms.can_change_place(user, place)

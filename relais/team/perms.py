"""Who may see the team. Partner staff and the committee see aggregates only.

Leave is shown only to coordinators and administrators, and to the adviser concerned: its kind
(sick leave) is sensitive.
"""

from relais.accounts.enums import Role

MANAGERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})


def can_view_team(user) -> bool:
    return user.is_authenticated and user.role in {
        Role.COORDINATOR,
        Role.ADVISOR,
        Role.ADMINISTRATOR,
    }


def can_change_advisor(user, advisor) -> bool:
    return user.is_authenticated and user.role in MANAGERS


def can_manage_leave(user) -> bool:
    """Record, change or delete anybody's leave: the coordination."""
    return user.is_authenticated and user.role in MANAGERS


def can_view_leave_of(user, advisor) -> bool:
    if not user.is_authenticated:
        return False
    if user.role in MANAGERS:
        return True
    return user.is_advisor and advisor is not None and advisor.user_id == user.pk


def can_view_leave_list(user) -> bool:
    return user.is_authenticated and (user.role in MANAGERS or user.is_advisor)


def can_act_as_advisor(user) -> bool:
    """An active adviser's account with its team profile: activities, session reports and
    permanences belong to a profile (``team.Advisor``), not to an account."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_advisor
        and getattr(user, "advisor", None) is not None
    )

"""Who may see the team. Partner staff and the committee see aggregates only."""

from relais.accounts.enums import Role


def can_view_team(user) -> bool:
    return user.is_authenticated and user.role in {
        Role.COORDINATOR,
        Role.ADVISOR,
        Role.ADMINISTRATOR,
    }

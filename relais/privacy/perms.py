"""Who may read the record of processing and the purge/journal status."""

from relais.accounts.enums import Role


def can_view_processing_record(user) -> bool:
    return user.is_authenticated and user.role in {Role.COORDINATOR, Role.ADMINISTRATOR}


def can_view_purges(user) -> bool:
    """Purge runs and journal integrity: the administrators run and watch the timers."""
    return user.is_authenticated and user.role == Role.ADMINISTRATOR

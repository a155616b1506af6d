"""Who manages API tokens: administrators and coordinators (the Département's data)."""

from relais.accounts.enums import Role


def can_manage_tokens(user) -> bool:
    return user.is_authenticated and user.role in {Role.ADMINISTRATOR, Role.COORDINATOR}

"""Who may do what with accounts."""

from .enums import Role


def can_reset_two_factor(user, target) -> bool:
    """Coordinators can help an advisor who lost their phone; only administrators help peers.

    With ``target=None``: whether the user may reset anybody's (e.g. every adviser's) device.
    """
    if not user.is_authenticated:
        return False
    if target is None:
        return user.role in {Role.ADMINISTRATOR, Role.COORDINATOR}
    if user.pk == target.pk:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    return user.role == Role.COORDINATOR and target.role != Role.ADMINISTRATOR

"""Who may see reference data, and :func:`require`, the one way a view refuses a request.

Each app's ``perms`` module holds its rules, ``can_<verb>_<object>(user[, obj])``; its views
call :func:`require` with them (docs/architecture.md, « Permissions »).
"""

from django.core.exceptions import PermissionDenied

from .enums import Role


def require(allowed: bool) -> None:
    """Refuse the request (« 403 ») unless ``allowed``: ``require(perms.can_view_x(user))``."""
    if not allowed:
        raise PermissionDenied


def can_view_organisations(user) -> bool:
    return user.is_authenticated and user.role in {
        Role.COORDINATOR,
        Role.ADMINISTRATOR,
        Role.COMMITTEE_MEMBER,
    }


def can_view_organisation(user, organisation) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_partner_staff:
        return organisation.pk == user.organisation_id
    return can_view_organisations(user)

from django.conf import settings

from .navigation import nav_for


def relais(request):
    """What every page needs: the Département's name and the navigation for this user."""
    user = getattr(request, "user", None)
    return {
        "department_name": settings.RELAIS_DEPARTMENT_NAME,
        "nav_items": nav_for(user, request.path) if user is not None else [],
        "offline_entry": _offline_entry(user),
    }


def _offline_entry(user) -> bool:
    """Advisers record activities offline (ADR 0008): their pages load the service worker and
    the queue. The role decides (no query on every page), once the second factor is given: the
    code prompt's page must not register a worker that the 2FA gate would redirect."""
    from relais.beneficiaries.perms import can_view_named_data

    verified = getattr(user, "is_verified", lambda: False)
    return user is not None and can_view_named_data(user) and verified()

from django.conf import settings

from .navigation import nav_for


def relais(request):
    """What every page needs: the Département's name and the navigation for this user."""
    user = getattr(request, "user", None)
    return {
        "department_name": settings.RELAIS_DEPARTMENT_NAME,
        "nav_items": nav_for(user, request.path) if user is not None else [],
    }

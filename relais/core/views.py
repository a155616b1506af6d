"""Organisations, health check and error pages (home dashboards: ``relais.dashboards``)."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.views.decorators.cache import never_cache

from relais.core.perms import require

from . import perms
from .models import Organisation


@login_required
def organisation_list(request):
    require(perms.can_view_organisations(request.user))
    organisations = Organisation.objects.select_related("commune").order_by("kind", "name")
    return render(request, "core/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.select_related("commune"), pk=pk)
    require(perms.can_view_organisation(request.user, organisation))
    places = organisation.places.select_related("commune").order_by("name")
    return render(
        request,
        "core/organisation_detail.html",
        {"organisation": organisation, "places": places},
    )


@never_cache
def health(request):
    """For the reverse proxy and monitoring: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No request context: the failure may come from the database or a context processor.
    return HttpResponseServerError(loader.get_template("500.html").render())

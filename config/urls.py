"""Root URL configuration: each domain app mounts its own ``urls`` module."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from relais.activities import views as activities_views

# One login for the whole site: the admin's own form would bypass the second factor page.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Relais — administration technique"
admin.site.site_title = "Relais"

urlpatterns = [
    # At the root, so that the service worker's scope is the whole site (ADR 0008).
    path("sw.js", activities_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", activities_views.web_manifest, name="web_manifest"),
    # Public pages of the places (/permanences/…) and advisers' calendar feeds (/agenda/…).
    # First: the most visited URLs, resolved without trying the others (issue 19).
    path("", include("relais.public.urls")),
    path("", include("relais.dashboards.urls")),
    path("", include("relais.core.urls")),
    path("compte/", include("relais.accounts.urls")),
    path("lieux/", include("relais.places.urls")),
    path("equipe/", include("relais.team.urls")),
    path("conventions/", include("relais.agreements.urls")),
    path("planning/", include("relais.planning.urls")),
    path("ateliers/", include("relais.workshops.urls")),
    # /inscriptions/ (workshop registrations).
    path("", include("relais.bookings.urls")),
    path("rendez-vous/", include("relais.appointments.urls")),
    path("confidentialite/droits/", include("relais.rights.urls")),
    path("confidentialite/", include("relais.privacy.urls")),
    path("activites/", include("relais.activities.urls")),
    path("beneficiaires/", include("relais.beneficiaries.urls")),
    path("statistiques/", include("relais.reporting.urls")),
    path("mandats/", include("relais.mandates.urls")),
    # Monthly partner reports (art. 3.4).
    path("comptes-rendus/", include("relais.monthly.urls")),
    path("comite/", include("relais.committee.urls")),
    # Read-only JSON API (bearer tokens, no session) and its token management page.
    path("api/", include("relais.api.urls")),
    path("messages-envoyes/", include("relais.messaging.urls")),
    path("taches/", include("relais.jobs.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "relais.core.views.bad_request"
handler403 = "relais.core.views.permission_denied"
handler404 = "relais.core.views.page_not_found"
handler500 = "relais.core.views.server_error"

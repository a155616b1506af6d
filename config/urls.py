"""Root URL configuration: each domain app mounts its own ``urls`` module."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

# One login for the whole site: the admin's own form would bypass the second factor page.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Relais — administration technique"
admin.site.site_title = "Relais"

urlpatterns = [
    path("", include("relais.core.urls")),
    path("compte/", include("relais.accounts.urls")),
    path("lieux/", include("relais.places.urls")),
    path("equipe/", include("relais.team.urls")),
    path("conventions/", include("relais.agreements.urls")),
    path("planning/", include("relais.planning.urls")),
    path("ateliers/", include("relais.workshops.urls")),
    path("inscriptions/", include("relais.bookings.urls")),
    path("confidentialite/", include("relais.privacy.urls")),
    path("activites/", include("relais.activities.urls")),
    path("beneficiaires/", include("relais.beneficiaries.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "relais.core.views.bad_request"
handler403 = "relais.core.views.permission_denied"
handler404 = "relais.core.views.page_not_found"
handler500 = "relais.core.views.server_error"

from django.urls import include, path

from . import views

app_name = "bookings"

# Mounted under /inscriptions/ (workshop registrations); appointments: relais.appointments.urls.
registration_urlpatterns = [
    # Public pages (no login): register, the consent texts, the secret link of a registration.
    path("seances/<int:pk>/", views.register, name="register"),
    path("information/v<int:version>/", views.consent_page, name="consent"),
    # Staff pages.
    path("gestion/seances/<int:pk>/", views.roster, name="roster"),
    path("gestion/seances/<int:pk>/ajouter/", views.staff_register, name="staff_register"),
    path("gestion/seances/<int:pk>/presences/", views.attendance, name="attendance"),
    path("gestion/seances/<int:pk>/annuler/", views.session_cancel_view, name="session_cancel"),
    path(
        "gestion/inscriptions/<int:pk>/annuler/",
        views.registration_cancel_staff,
        name="registration_cancel",
    ),
    # Last, being the most general: str, not uuid, so that a malformed id gets the same 404 as
    # a wrong token.
    path("<str:public_id>/<str:token>/", views.manage, name="manage"),
]

urlpatterns = [
    path("inscriptions/", include(registration_urlpatterns)),
    # A session's page of changes keeps its address among the workshops' pages; it lives here,
    # beside the registrations a larger capacity gives seats to (/ateliers/ is tried first:
    # nothing there matches, and the resolver goes on to this).
    path("ateliers/gestion/seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
]

from django.urls import include, path

from . import views, views_appointments

app_name = "bookings"

# Mounted under /inscriptions/ (workshop registrations); appointments below, /rendez-vous/.
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

appointment_urlpatterns = [
    # Public pages (no login): a place's booking pages, the consent texts, the secret link.
    path("<slug:place_slug>/", views_appointments.appointment_book, name="appointment_book"),
    path(
        "<slug:place_slug>/reserver/", views_appointments.appointment_form, name="appointment_form"
    ),
    path(
        "information/v<int:version>/",
        views_appointments.appointment_consent,
        name="appointment_consent",
    ),
    path(
        "suivi/<str:public_id>/<str:token>/",
        views_appointments.appointment_manage,
        name="appointment_manage",
    ),
    # Staff pages.
    path("gestion/lieux/", views_appointments.appointment_places, name="appointment_places"),
    path(
        "gestion/lieux/<slug:place_slug>/",
        views_appointments.appointment_list,
        name="appointment_list",
    ),
    path(
        "gestion/lieux/<slug:place_slug>/reglages/",
        views_appointments.appointment_settings,
        name="appointment_settings",
    ),
    path(
        "gestion/<int:pk>/venue/", views_appointments.appointment_mark_view, name="appointment_mark"
    ),
    path(
        "gestion/<int:pk>/annuler/",
        views_appointments.appointment_cancel_staff,
        name="appointment_cancel",
    ),
    path("gestion/types/", views_appointments.appointment_types, name="appointment_types"),
    path(
        "gestion/types/nouveau/",
        views_appointments.appointment_type_edit,
        name="appointment_type_create",
    ),
    path(
        "gestion/types/<int:pk>/",
        views_appointments.appointment_type_edit,
        name="appointment_type_edit",
    ),
]

urlpatterns = [
    path("inscriptions/", include(registration_urlpatterns)),
    path("rendez-vous/", include(appointment_urlpatterns)),
]

from django.urls import path

from . import views

# Mounted under /rendez-vous/ (config/urls.py), the paths they had in the bookings app.
app_name = "appointments"

urlpatterns = [
    # Public pages (no login): a place's booking pages, the consent texts, the secret link.
    path("<slug:place_slug>/", views.appointment_book, name="book"),
    path("<slug:place_slug>/reserver/", views.appointment_form, name="form"),
    path(
        "information/v<int:version>/",
        views.appointment_consent,
        name="consent",
    ),
    path(
        "suivi/<str:public_id>/<str:token>/",
        views.appointment_manage,
        name="manage",
    ),
    # Staff pages.
    path("gestion/lieux/", views.appointment_places, name="places"),
    path(
        "gestion/lieux/<slug:place_slug>/",
        views.appointment_list,
        name="list",
    ),
    path(
        "gestion/lieux/<slug:place_slug>/reglages/",
        views.appointment_settings,
        name="settings",
    ),
    path("gestion/<int:pk>/venue/", views.appointment_mark_view, name="mark"),
    path(
        "gestion/<int:pk>/annuler/",
        views.appointment_cancel_staff,
        name="cancel",
    ),
    path("gestion/types/", views.appointment_types, name="types"),
    path(
        "gestion/types/nouveau/",
        views.appointment_type_edit,
        name="type_create",
    ),
    path(
        "gestion/types/<int:pk>/",
        views.appointment_type_edit,
        name="type_edit",
    ),
]

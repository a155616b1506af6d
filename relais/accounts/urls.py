from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("verification/", views.otp_verify, name="otp_verify"),
    path("double-authentification/", views.otp_setup, name="otp_setup"),
    path("codes-de-secours/", views.recovery_codes, name="recovery_codes"),
    path(
        "codes-de-secours/regenerer/",
        views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("", views.account, name="account"),
    path(
        "<int:pk>/reinitialiser-double-authentification/",
        views.two_factor_reset,
        name="two_factor_reset",
    ),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

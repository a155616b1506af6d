"""URLs of the monthly partner reports, mounted at /comptes-rendus/ (namespace ``monthly``)."""

from django.urls import path

from . import views

app_name = "monthly"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("nouveau/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/commentaire/", views.report_update, name="update"),
    path("<int:pk>/transmettre/", views.report_submit, name="submit"),
    path("<int:pk>/valider/", views.report_validate, name="validate"),
    path("<int:pk>/renvoyer/", views.report_return, name="return"),
    path("<int:pk>/corriger/", views.report_correct, name="correct"),
]

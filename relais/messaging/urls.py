from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.outbox_list, name="outbox"),
    path("<int:pk>/renvoyer/", views.outbox_resend, name="resend"),
]

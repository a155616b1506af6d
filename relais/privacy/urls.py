from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("registre/", views.record, name="record"),
    path("registre.pdf", views.record_pdf, name="record_pdf"),
    path("purges/", views.purges, name="purges"),
    path("journal/verifier/", views.journal_verify_now, name="journal_verify"),
]

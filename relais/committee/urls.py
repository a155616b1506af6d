from django.urls import path

from . import views

app_name = "committee"

urlpatterns = [
    path("", views.index, name="index"),
    path("membres/", views.member_list, name="member_list"),
    path("membres/nouveau/", views.member_create, name="member_create"),
    path("membres/<int:pk>/", views.member_edit, name="member_edit"),
    path("reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/convocations/", views.meeting_invite, name="meeting_invite"),
    path("reunions/<int:pk>/compte-rendu.pdf", views.meeting_minutes_pdf, name="meeting_minutes"),
    path(
        "reunions/<int:pk>/emargement.pdf", views.meeting_attendance_pdf, name="meeting_attendance"
    ),
    path("reunions/<int:meeting_pk>/actions/nouvelle/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("bilan/", views.review, name="review"),
    path("bilan.pdf", views.review_pdf, name="review_pdf"),
]

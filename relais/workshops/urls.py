from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    # Public pages (no login).
    path("", views.catalogue, name="catalogue"),
    path("lieux/<slug:slug>.ics", views.place_ics, name="place_ics"),
    # Staff pages: "gestion" is a reserved topic slug (WorkshopTopic.clean).
    path("gestion/", views.session_list, name="session_list"),
    path("gestion/seances/nouvelle/", views.session_new, name="session_new"),
    path("gestion/catalogue/", views.topic_list, name="topic_list"),
    path("gestion/catalogue/nouveau/", views.topic_new, name="topic_new"),
    path("gestion/catalogue/<int:pk>/modifier/", views.topic_edit, name="topic_edit"),
    path("gestion/programme/", views.programme, name="programme"),
    # Last: any other slug is a topic of the public catalogue.
    path("<slug:slug>/", views.topic_detail, name="topic"),
]

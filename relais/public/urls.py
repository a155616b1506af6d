from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    # Public pages (no login).
    path("permanences/", views.place_index, name="place_index"),
    path("permanences/<slug:slug>/", views.place_detail, name="place"),
    path("permanences/<slug:slug>/calendrier.ics", views.place_feed, name="place_feed"),
    path("permanences/<slug:slug>/affiche.pdf", views.place_poster, name="place_poster"),
    # The places in the national « Lieux de médiation numérique » standard (docs/opendata.md).
    path("lieux/open-data.json", views.opendata_json, name="opendata_json"),
    path("lieux/open-data.csv", views.opendata_csv, name="opendata_csv"),
    # The private feed of an adviser: no login, a secret link (404 when revoked or wrong).
    path("agenda/<str:token>.ics", views.advisor_feed, name="advisor_feed"),
    # Staff (advisers).
    path("agenda/", views.my_agenda, name="my_agenda"),
    path("agenda/lien/", views.feed_token_create, name="feed_token_create"),
    path("agenda/revoquer/", views.feed_token_revoke, name="feed_token_revoke"),
]

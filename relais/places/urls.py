from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.place_list, name="list"),
    # Fixed paths before "<slug:slug>/" (a slug cannot contain a dot, but keep them first).
    path("open-data.json", views.opendata_json, name="opendata_json"),
    path("open-data.csv", views.opendata_csv, name="opendata_csv"),
    path("<slug:slug>/", views.place_detail, name="detail"),
    path("<slug:slug>/modifier/", views.place_edit, name="edit"),
]

from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.place_list, name="list"),
    # Fixed paths before "<slug:slug>/" (a slug cannot contain a dot, but keep them first).
    path("<slug:slug>/", views.place_detail, name="detail"),
    path("<slug:slug>/modifier/", views.place_edit, name="edit"),
]

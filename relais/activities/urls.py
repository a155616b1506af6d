from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("nouveau/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/modifier/", views.activity_edit, name="edit"),
    path("hors-ligne/listes/", views.offline_lists, name="offline_lists"),
    path("hors-ligne/jeton/", views.offline_token, name="offline_token"),
]

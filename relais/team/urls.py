from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("", views.advisor_list, name="list"),
    path("<int:pk>/", views.advisor_detail, name="detail"),
    path("<int:pk>/modifier/", views.advisor_edit, name="edit"),
    path("absences/", views.leave_list, name="leave_list"),
    path("absences/nouvelle/", views.leave_create, name="leave_create"),
    path("absences/<int:pk>/modifier/", views.leave_edit, name="leave_edit"),
    path("absences/<int:pk>/supprimer/", views.leave_delete, name="leave_delete"),
]

from django.urls import path

from . import views, views_more, views_planner

app_name = "planning"

urlpatterns = [
    path("", views.slot_list, name="slot_list"),
    path("permanences/nouvelle/", views.slot_create, name="slot_create"),
    path("permanences/<int:pk>/", views.slot_detail, name="slot_detail"),
    path("permanences/<int:pk>/modifier/", views.slot_edit, name="slot_edit"),
    path("permanences/<int:pk>/supprimer/", views.slot_delete, name="slot_delete"),
    path("permanences/<int:pk>/seance/<str:day>/", views.occurrence, name="occurrence"),
    path("controles/", views.planning_checks, name="checks"),
    path("couverture/", views_more.coverage, name="coverage"),
    path("couverture/export.xlsx", views_more.coverage_xlsx, name="coverage_xlsx"),
    path("couverture/export.csv", views_more.coverage_csv, name="coverage_csv"),
    path("fermetures/", views_more.closure_list, name="closure_list"),
    path("fermetures/nouvelle/", views_more.closure_create, name="closure_create"),
    path("fermetures/<int:pk>/modifier/", views_more.closure_edit, name="closure_edit"),
    path("fermetures/<int:pk>/supprimer/", views_more.closure_delete, name="closure_delete"),
    path("ma-semaine/", views.my_week, name="my_week"),
    path("planificateur/", views_planner.planner_page, name="planner"),
    path("planificateur/calculer/", views_planner.planner_run, name="planner_run"),
    path("planificateur/<int:pk>/", views_planner.planner_detail, name="planner_detail"),
    path("planificateur/<int:pk>/etat/", views_planner.planner_status, name="planner_status"),
    path("planificateur/<int:pk>/appliquer/", views_planner.planner_apply, name="planner_apply"),
]

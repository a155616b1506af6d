from django.urls import path

from .views import closures, coverage, planner, schedules

app_name = "planning"

urlpatterns = [
    path("", schedules.slot_list, name="slot_list"),
    path("permanences/nouvelle/", schedules.slot_create, name="slot_create"),
    path("permanences/<int:pk>/", schedules.slot_detail, name="slot_detail"),
    path("permanences/<int:pk>/modifier/", schedules.slot_edit, name="slot_edit"),
    path("permanences/<int:pk>/supprimer/", schedules.slot_delete, name="slot_delete"),
    path("permanences/<int:pk>/seance/<str:day>/", schedules.occurrence, name="occurrence"),
    path("controles/", schedules.planning_checks, name="checks"),
    path("couverture/", coverage.coverage, name="coverage"),
    path("couverture/export.xlsx", coverage.coverage_xlsx, name="coverage_xlsx"),
    path("couverture/export.csv", coverage.coverage_csv, name="coverage_csv"),
    path("fermetures/", closures.closure_list, name="closure_list"),
    path("fermetures/nouvelle/", closures.closure_create, name="closure_create"),
    path("fermetures/<int:pk>/modifier/", closures.closure_edit, name="closure_edit"),
    path("fermetures/<int:pk>/supprimer/", closures.closure_delete, name="closure_delete"),
    path("ma-semaine/", schedules.my_week, name="my_week"),
    path("planificateur/", planner.planner_page, name="planner"),
    path("planificateur/calculer/", planner.planner_run, name="planner_run"),
    path("planificateur/<int:pk>/", planner.planner_detail, name="planner_detail"),
    path("planificateur/<int:pk>/etat/", planner.planner_status, name="planner_status"),
    path("planificateur/<int:pk>/appliquer/", planner.planner_apply, name="planner_apply"),
]

from django.urls import path

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("nouvelle/", views.beneficiary_create, name="create"),
    path("nouvelle/rapide/", views.beneficiary_create_inline, name="create_inline"),
    path("import/", views.beneficiary_import, name="import"),
    path("choisir/", views.beneficiary_pick, name="pick"),
    path("<int:pk>/", views.beneficiary_detail, name="detail"),
    path("<int:pk>/modifier/", views.beneficiary_edit, name="edit"),
    path("<int:pk>/supprimer/", views.beneficiary_delete_view, name="delete"),
    path("<int:pk>/fusionner/", views.beneficiary_merge_view, name="merge"),
]

from django.contrib import admin

from .models import Commune, Organisation


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "postal_code", "department_code"]
    list_filter = ["department_code"]
    search_fields = ["name", "postal_code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "representative_name", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "siret"]
    autocomplete_fields = ["commune"]

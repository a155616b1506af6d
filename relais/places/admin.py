from django.contrib import admin

from .models import Place


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "partner", "is_active"]
    list_filter = ["kind", "is_active", "partner"]
    search_fields = ["name", "commune__name"]
    autocomplete_fields = ["commune", "partner"]
    prepopulated_fields = {"slug": ["name"]}

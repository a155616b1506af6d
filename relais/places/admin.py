from django.contrib import admin
from django.db import models

from .models import Place, PlaceChange
from .services import place_update


class PlaceChangeInline(admin.TabularInline):
    model = PlaceChange
    fields = ["changed_at", "user", "changes"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-changed_at", "-pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "partner", "is_active"]
    list_filter = ["kind", "is_active", "partner"]
    search_fields = ["name", "commune__name"]
    autocomplete_fields = ["commune", "partner"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlaceChangeInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so that admin edits are in the history too.
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        place_update(place=obj, user=request.user, data=data)

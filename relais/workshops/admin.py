from django.contrib import admin

from .models import WorkshopSession, WorkshopTopic


@admin.register(WorkshopTopic)
class WorkshopTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "duration_minutes", "capacity", "status"]
    list_filter = ["status", "level"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(WorkshopSession)
class WorkshopSessionAdmin(admin.ModelAdmin):
    # Read-only: cancelling must notify people and capacity changes must fill the waiting list,
    # which only the services (and the staff pages) do.
    list_display = ["topic", "place", "starts_at", "capacity", "status"]
    list_filter = ["status", "place", "topic"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

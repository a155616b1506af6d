"""Technical admin for activities: no private notes, no link to a person (art. 2 secrecy)."""

from django.contrib import admin

from .models import Activity
from .services import activity_delete


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "advisor", "place", "duration_minutes", "participants_count"]
    list_filter = ["kind", "location_kind", "place"]
    date_hierarchy = "date"
    exclude = ["private_notes", "beneficiary"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("private_notes")
            .select_related("advisor__user", "place")
        )

    def has_add_permission(self, request):
        return False  # activities are recorded by advisers, through the services

    def has_change_permission(self, request, obj=None):
        return False

    # Deleting goes through the service, which keeps the statistics' roll-ups exact.
    def delete_model(self, request, obj):
        activity_delete(activity=obj)

    def delete_queryset(self, request, queryset):
        for activity in queryset:
            activity_delete(activity=activity)

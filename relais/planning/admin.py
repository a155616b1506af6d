from django.contrib import admin

from .models import Closure, OccurrenceException, Slot, WeekVisit


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = [
        "place",
        "weekday",
        "start_time",
        "end_time",
        "recurrence",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["weekday", "recurrence", "place"]
    filter_horizontal = ["advisors"]
    list_select_related = ["place"]
    raw_id_fields = ["commitment"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["place", "start_date", "end_date", "reason"]
    list_filter = ["place"]
    date_hierarchy = "start_date"


@admin.register(OccurrenceException)
class OccurrenceExceptionAdmin(admin.ModelAdmin):
    list_display = ["slot", "date", "kind", "reason"]
    list_filter = ["kind"]
    filter_horizontal = ["replacement_advisors"]


@admin.register(WeekVisit)
class WeekVisitAdmin(admin.ModelAdmin):
    list_display = ["advisor", "visited_at"]

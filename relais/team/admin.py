from django.contrib import admin

from .models import Advisor, Leave, Skill


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "home_commune", "training_status", "weekly_hours"]
    list_filter = ["kind", "training_status"]
    search_fields = ["user__last_name", "user__first_name", "user__email"]
    autocomplete_fields = ["home_commune", "user"]
    filter_horizontal = ["skills"]
    list_select_related = ["user", "home_commune"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Leave)
class LeaveAdmin(admin.ModelAdmin):
    list_display = ["advisor", "kind", "start_date", "start_half", "end_date", "end_half"]
    list_filter = ["kind"]
    date_hierarchy = "start_date"
    search_fields = ["advisor__user__last_name", "advisor__user__first_name"]
    autocomplete_fields = ["advisor"]
    list_select_related = ["advisor__user"]

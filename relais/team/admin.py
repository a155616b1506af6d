from django.contrib import admin

from .models import Advisor


@admin.register(Advisor)
class AdvisorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "home_commune", "contract_end"]
    list_filter = ["kind"]
    search_fields = ["user__last_name", "user__first_name", "user__email"]
    autocomplete_fields = ["home_commune", "user"]
    list_select_related = ["user", "home_commune"]

from django.contrib import admin

from .models import Appointment, AppointmentType, PlaceAppointmentSettings


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "is_active"]
    list_filter = ["is_active"]


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    # Read-only: every change goes through the services (locks, messages).
    list_display = ["__str__", "place", "advisor", "starts_at", "appointment_type", "status"]
    list_filter = ["status", "appointment_type"]
    search_fields = ["last_name", "email", "phone"]
    raw_id_fields = ["place", "advisor", "slot", "booked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PlaceAppointmentSettings)
class PlaceAppointmentSettingsAdmin(admin.ModelAdmin):
    # Registered here, not inline on the place: places does not depend on appointments. Staff use
    # the page « Réglages des rendez-vous » of each place.
    list_display = [
        "place",
        "appointments_enabled",
        "min_notice_hours",
        "horizon_days",
        "walk_in_percent",
        "updated_at",
    ]
    list_filter = ["appointments_enabled"]
    search_fields = ["place__name"]
    raw_id_fields = ["place"]

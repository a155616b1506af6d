from django.contrib import admin

from .models import Message, Registration


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    # Read-only: every change goes through the services (waiting list, messages).
    list_display = ["__str__", "session", "status", "source", "attendance", "created_at"]
    list_filter = ["status", "source", "attendance"]
    search_fields = ["last_name", "email", "phone"]
    raw_id_fields = ["session", "registered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "channel",
        "status",
        "sent_at",
        "registration",
        "appointment",
    ]
    list_filter = ["status", "channel", "kind"]
    raw_id_fields = ["registration", "appointment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

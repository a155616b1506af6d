"""Read-only admin views: the journal is append-only, purges and verifications are history."""

from django.contrib import admin

from .models import JournalEntry, JournalVerification, PurgeRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "timestamp", "action", "actor_role", "actor_id", "subject_type"]
    list_filter = ["action", "actor_role"]


@admin.register(JournalVerification)
class JournalVerificationAdmin(ReadOnlyAdmin):
    list_display = ["verified_at", "ok", "entry_count", "message"]


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "run_for", "total", "finished_at"]

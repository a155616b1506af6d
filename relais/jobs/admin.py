from django.contrib import admin

from .models import ImportJob, PeriodicRun, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "queues", "started_at", "seen_at")


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("job", "slot", "status", "attempts", "finished_at")
    list_filter = ("status", "job")


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Status and counts only: the file and its lines are the requester's (see its page)."""

    list_display = ("label", "filename", "status", "created_count", "created_at", "expires_at")
    list_filter = ("status",)
    fields = ("label", "filename", "status", "created_count", "updated_count", "error",
              "created_at", "finished_at", "expires_at")  # fmt: skip
    readonly_fields = fields

from django.contrib import admin

from .models import PeriodicRun, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "queues", "started_at", "seen_at")


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("job", "slot", "status", "attempts", "finished_at")
    list_filter = ("status", "job")

from django.contrib import admin

from .models import OutboxAttachment, OutboxMessage


class OutboxAttachmentInline(admin.TabularInline):
    model = OutboxAttachment
    fields = ("filename", "mimetype")
    readonly_fields = fields
    extra = 0


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "channel", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    inlines = [OutboxAttachmentInline]

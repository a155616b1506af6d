from django.contrib import admin

from .models import FeedToken


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Read-only but for ``revoked_at``: the secret itself is never stored, only its hash."""

    list_display = ["advisor", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    fields = ["advisor", "key", "created_at", "revoked_at"]
    readonly_fields = ["advisor", "key", "created_at"]

    def has_add_permission(self, request):
        return False

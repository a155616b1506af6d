from django.contrib import admin

from .models import ActionItem, CommitteeMember, Meeting, MeetingInvitation


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "category", "organisation", "left_on"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "location"]


@admin.register(MeetingInvitation)
class MeetingInvitationAdmin(admin.ModelAdmin):
    """Read-only: convocations are sent from the meeting page, at most once per version."""

    list_display = ["meeting", "member", "sequence", "status", "sent_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "due_on", "status"]

"""Writes to the committee: members, meetings and action items (« axes de progrès »)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import perms
from .models import ActionItem, CommitteeMember, Meeting

MEMBER_FIELDS = ("category", "full_name", "function", "organisation", "other_organisation",
                 "email", "joined_on", "left_on")  # fmt: skip
MEETING_FIELDS = ("date", "location", "agenda", "minutes", "decisions")
ACTION_FIELDS = ("title", "owner_member", "owner_label", "partner", "due_on", "status")


def _require(user) -> None:
    if not perms.can_manage_committee(user):
        raise PermissionDenied


def _apply(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def member_create(*, user, data: dict) -> CommitteeMember:
    _require(user)
    member = CommitteeMember()
    _apply(member, data, MEMBER_FIELDS)
    return _save(member)


def member_update(*, user, member: CommitteeMember, data: dict) -> CommitteeMember:
    _require(user)
    _apply(member, data, MEMBER_FIELDS)
    return _save(member)


@transaction.atomic
def meeting_create(*, user, data: dict) -> Meeting:
    _require(user)
    meeting = Meeting(created_by=user)
    _apply(meeting, data, MEETING_FIELDS)
    _save(meeting)
    meeting.attendees.set(data.get("attendees") or [])
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, data: dict) -> Meeting:
    _require(user)
    _apply(meeting, data, MEETING_FIELDS)
    _save(meeting)
    if "attendees" in data:
        meeting.attendees.set(data["attendees"] or [])
    return meeting


def action_item_create(*, user, meeting: Meeting, data: dict) -> ActionItem:
    _require(user)
    item = ActionItem(meeting=meeting)
    _apply(item, data, ACTION_FIELDS)
    return _save(item)


def action_item_update(*, user, item: ActionItem, data: dict) -> ActionItem:
    _require(user)
    _apply(item, data, ACTION_FIELDS)
    return _save(item)

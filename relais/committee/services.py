"""Writes to the committee: members, meetings and action items (« axes de progrès »)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.perms import require

from . import perms
from .enums import InvitationStatus
from .invitations import invitation_queue
from .models import ActionItem, CommitteeMember, Meeting, MeetingInvitation
from .queries import meeting_invitation_state, meeting_invitees

MEMBER_FIELDS = ("category", "full_name", "function", "organisation", "other_organisation",
                 "email", "joined_on", "left_on")  # fmt: skip
MEETING_FIELDS = ("date", "start_time", "end_time", "location", "agenda", "minutes", "decisions")
ACTION_FIELDS = ("title", "owner_member", "owner_label", "partner", "due_on", "status")


def _apply(instance, data: dict, fields) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def member_create(*, user, data: dict) -> CommitteeMember:
    require(perms.can_manage_committee(user))
    member = CommitteeMember()
    _apply(member, data, MEMBER_FIELDS)
    return _save(member)


def member_update(*, user, member: CommitteeMember, data: dict) -> CommitteeMember:
    require(perms.can_manage_committee(user))
    _apply(member, data, MEMBER_FIELDS)
    return _save(member)


@transaction.atomic
def meeting_create(*, user, data: dict) -> Meeting:
    require(perms.can_manage_committee(user))
    meeting = Meeting(created_by=user)
    _apply(meeting, data, MEETING_FIELDS)
    _save(meeting)
    meeting.attendees.set(data.get("attendees") or [])
    return meeting


@transaction.atomic
def meeting_update(*, user, meeting: Meeting, data: dict) -> Meeting:
    require(perms.can_manage_committee(user))
    _apply(meeting, data, MEETING_FIELDS)
    _save(meeting)
    if "attendees" in data:
        meeting.attendees.set(data["attendees"] or [])
    return meeting


def action_item_create(*, user, meeting: Meeting, data: dict) -> ActionItem:
    require(perms.can_manage_committee(user))
    item = ActionItem(meeting=meeting)
    _apply(item, data, ACTION_FIELDS)
    return _save(item)


def action_item_update(*, user, item: ActionItem, data: dict) -> ActionItem:
    require(perms.can_manage_committee(user))
    _apply(item, data, ACTION_FIELDS)
    return _save(item)


@transaction.atomic
def meeting_send_invitations(*, user, meeting: Meeting) -> list[MeetingInvitation]:
    """E-mail the convocation (with a calendar file) to every sitting member who has an address.

    Idempotent: a member receives each version of the meeting's date, time and place once; a
    second click sends only to members added since, or whose last sending failed. When the date,
    time or place changed after a sending, every member is sent the update (a new sequence).
    The messages leave after the commit; the rows say what was sent, when, or why it failed.
    """
    require(perms.can_manage_committee(user))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.date < timezone.localdate():
        raise ValidationError(
            f"La réunion du {meeting.date:%d/%m/%Y} est passée : aucune convocation envoyée."
        )
    invitees = list(meeting_invitees(meeting).exclude(email=""))
    if not invitees:
        raise ValidationError(
            "Aucun membre en fonction à cette date n'a d'adresse e-mail : renseignez-les dans "
            "la liste des membres."
        )
    invitations = list(meeting.invitations.all())
    last, changed = meeting_invitation_state(meeting, invitations)
    sequence = last + 1 if changed else last
    existing = {i.member_id: i for i in invitations if i.sequence == sequence}
    queued = []
    for member in invitees:
        invitation = existing.get(member.pk)
        if invitation is None:
            invitation = MeetingInvitation(meeting=meeting, member=member, sequence=sequence)
        elif invitation.status != InvitationStatus.FAILED:
            continue
        invitation.details = meeting.convened_details
        invitation.recipient = member.email
        invitation.status, invitation.error = InvitationStatus.QUEUED, ""
        _save(invitation)
        invitation_queue(invitation)  # the e-mail, committed with the row
        queued.append(invitation)
    return queued

"""Canary rows for the committee's retention rules (collected by tests/privacy/test_purge.py)."""

import datetime as dt

from django.utils import timezone

from relais.committee.models import (
    CommitteeMember,
    Meeting,
    MeetingInvitation,
)


def _member(**fields):
    return CommitteeMember.objects.create(
        category="other_employer", other_organisation="Association témoin", **fields
    )


def make_committee_members():
    due = _member(
        full_name="Membre ancien", joined_on=dt.date(2015, 1, 1), left_on=dt.date(2018, 1, 1)
    )
    fresh = _member(full_name="Membre actuel", joined_on=dt.date(2024, 1, 1))
    return due, fresh


def make_meeting_invitations():
    meeting = Meeting.objects.create(date=dt.date(2026, 6, 1), agenda="Bilan")
    member = _member(full_name="Membre convoqué", joined_on=dt.date(2024, 1, 1))
    common = {"meeting": meeting, "member": member, "details": "2026-06-01",
              "status": "sent"}  # fmt: skip
    due = MeetingInvitation.objects.create(**common, recipient="ancien@exemple.test")
    MeetingInvitation.objects.filter(pk=due.pk).update(
        created_at=timezone.now() - dt.timedelta(days=365 * 3)
    )
    fresh = MeetingInvitation.objects.create(**common, sequence=1, recipient="recent@exemple.test")
    return due, fresh

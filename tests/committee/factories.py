"""Factories of the steering committee: members, meetings, convocations, action items."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from relais.committee.enums import MemberCategory
from relais.committee.models import ActionItem, CommitteeMember, Meeting, MeetingInvitation

from ..factories import OrganisationFactory, UserFactory


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    """A representative of a partner structure."""

    class Meta:
        model = CommitteeMember

    category = MemberCategory.PARTNER
    full_name = factory.Sequence(lambda n: f"Membre {n}")
    function = "Directrice"
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"membre{n}@exemple.test")
    joined_on = date(2025, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting held a month or more ago (one a day at most: each row its own day)."""

    class Meta:
        model = Meeting

    date = factory.Sequence(lambda n: timezone.localdate() - timedelta(days=30 + n))
    location = "Perpignan"
    agenda = "Bilan de l'année"
    created_by = factory.SubFactory(UserFactory)


class MeetingInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingInvitation

    meeting = factory.SubFactory(MeetingFactory)
    member = factory.SubFactory(CommitteeMemberFactory)
    details = factory.LazyAttribute(lambda invitation: invitation.meeting.convened_details)
    recipient = factory.SelfAttribute("member.email")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    title = "Ouvrir une permanence le samedi"
    owner_label = "Médiathèques"
    due_on = factory.LazyAttribute(lambda item: item.meeting.date + timedelta(days=90))

"""Factories of the privacy app: journal entries (appended through the journal, which chains
and signs them), journal verifications, purge runs, rights requests."""

from datetime import date

import factory
from django.utils import timezone

from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_append
from relais.privacy.models import (
    JournalEntry,
    JournalVerification,
    PurgeRun,
    RightsChannel,
    RightsKind,
    RightsRequest,
)
from relais.rights.services import due_date, rights_request_create

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import UserFactory

RECEIVED_ON = date(2026, 3, 2)


class JournalEntryFactory(factory.django.DjangoModelFactory):
    """An entry appended by ``journal_append``: the only writer of the append-only journal
    (sequence, previous hash and signature are its to compute). ``actor``: an account, or None
    for the system."""

    class Meta:
        model = JournalEntry

    actor = None
    action = JournalAction.PURGE
    subject = None
    details = factory.LazyFunction(lambda: {"total": 0})

    @classmethod
    def _create(cls, model_class, *, actor, action, subject, details):
        return journal_append(actor=actor, action=action, subject=subject, details=details)


class JournalVerificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalVerification

    ok = True
    entry_count = 0
    message = "Journal intègre : 0 entrée vérifiée."


class PurgeRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PurgeRun

    run_for = factory.LazyFunction(timezone.localdate)
    finished_at = factory.LazyFunction(timezone.now)


class RightsRequestFactory(factory.django.DjangoModelFactory):
    """An open request from somebody without a record, answer due a month after receipt."""

    class Meta:
        model = RightsRequest

    requester_label = factory.Sequence(lambda n: f"Personne {n} (courrier)")
    kind = RightsKind.ACCESS
    channel = RightsChannel.MAIL
    received_on = RECEIVED_ON
    due_on = factory.LazyAttribute(lambda request: due_date(request.received_on))
    handled_by = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("handled_by")


def make_rights_request(user, **extra) -> RightsRequest:
    """An access request received today in person, registered (and journaled) by ``user``
    through the service."""
    data = {
        "kind": RightsKind.ACCESS,
        "channel": RightsChannel.IN_PERSON,
        "received_on": timezone.localdate(),
        "beneficiary": BeneficiaryFactory(),
        **extra,
    }
    return rights_request_create(user=user, **data)

"""Canary rows for the agreements' retention rules (read by tests/privacy/test_purge.py)."""

import datetime as dt

from django.utils import timezone

from relais.agreements.enums import ContactRole, PartyRole
from relais.agreements.models import AgreementContact

from ..factories import DepartmentFactory, OrganisationFactory
from .factories import make_agreement


def make_agreement_contacts():
    agreement = make_agreement(DepartmentFactory(), OrganisationFactory())
    common = {"agreement": agreement, "party": PartyRole.PARTNER, "role": ContactRole.EDITORIAL}
    # Left the role two years ago: past the 12 months kept; the current one stays.
    due = AgreementContact.objects.create(
        **common,
        full_name="Ancienne responsable",
        # Relative to the suite's frozen clock, which the purge reads too: due at any instant.
        until=timezone.localdate() - dt.timedelta(days=730),
    )
    fresh = AgreementContact.objects.create(**common, full_name="Responsable actuelle")
    return due, fresh

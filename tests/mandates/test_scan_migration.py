"""Migrations 0002–0004: the scan stored on a mandate becomes version 1 of its ``MandateScan``."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from relais.mandates.models import Mandate, MandateScan
from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_append

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, UserFactory
from ..privacy.journal_helpers import journal_triggers, journal_wipe

BEFORE = [("mandates", "0002_mandatescan")]  # the new table, the old columns still there
INITIAL = [("mandates", "0001_initial")]


def _latest():
    """Every app's last migration: the schema the current models describe."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _old_mandate(state, *, advisor, **scan):
    now = timezone.now()
    return state.get_model("mandates", "Mandate").objects.create(
        beneficiary_id=BeneficiaryFactory().pk,
        advisor_id=advisor.pk,
        binds="advisor",
        mode="in_person",
        identity_document_type="id_card",
        identity_verified_by_id=advisor.user_id,
        identity_verified_at=now,
        information_text_version="2024-06",
        scope_families=["social_health"],
        named_procedures=[],
        duration="1m",
        signed_at=now,
        expires_at=now + timedelta(days=30),
        integrity_hash="0" * 64,
        **scan,
    )


@pytest.mark.django_db(transaction=True)
def test_the_existing_scan_becomes_version_one_with_its_uploader_from_the_journal():
    if not journal_triggers():
        pytest.skip("Triggers absent: run with migrations.")
    advisor, colleague = AdvisorFactory(), AdvisorFactory()
    uploaded_at = timezone.now() - timedelta(days=3)
    try:
        state = _migrate(BEFORE)
        with_scan = _old_mandate(
            state,
            advisor=advisor,
            signed_scan="mandates/ancien.pdf",
            signed_scan_type="application/pdf",
            signed_scan_sha256="a" * 64,
            signed_scan_uploaded_at=uploaded_at,
            created_by_id=advisor.user_id,
        )
        without_scan = _old_mandate(state, advisor=advisor, created_by_id=advisor.user_id)
        # The journal says who uploaded it (here a colleague, not the signatory).
        journal_append(
            actor=colleague.user,
            action=JournalAction.MANDATE_ACTION,
            subject=("mandates.mandate", with_scan.pk),
            details={"event": "scan_uploaded", "file_sha256": "a" * 64},
        )
        no_journal = _old_mandate(
            state,
            advisor=advisor,
            signed_scan="mandates/sans-journal.png",
            signed_scan_type="image/png",
            signed_scan_sha256="b" * 64,
            created_by_id=UserFactory().pk,
        )

        _migrate(_latest())

        scan = Mandate.objects.get(pk=with_scan.pk).current_scan
        assert (scan.version, scan.file.name, scan.content_type, scan.sha256) == (
            1,
            "mandates/ancien.pdf",
            "application/pdf",
            "a" * 64,
        )
        assert (scan.uploaded_by, scan.uploaded_at) == (colleague.user, uploaded_at)
        assert Mandate.objects.get(pk=without_scan.pk).current_scan is None
        fallback = Mandate.objects.get(pk=no_journal.pk)
        assert fallback.current_scan.uploaded_by_id == fallback.created_by_id
        assert MandateScan.objects.count() == 2

        # Backwards, the current version goes back to the mandate's columns.
        state = _migrate(INITIAL)
        old = state.get_model("mandates", "Mandate").objects.get(pk=with_scan.pk)
        assert (old.signed_scan, old.signed_scan_sha256) == ("mandates/ancien.pdf", "a" * 64)
    finally:
        _migrate(_latest())
        journal_wipe()

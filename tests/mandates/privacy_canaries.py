"""Canary rows for the mandates' retention rules (collected by tests/privacy/test_purge.py).

Written straight to the database (``build_mandate``): the purge tests expect an empty journal
before the purge runs.
"""

from datetime import timedelta

from django.utils import timezone

from relais.mandates.models import Mandate, MandateAction, MandateScan

from .factories import build_mandate


def _scan(mandate, version=1):
    scan = MandateScan.objects.create(
        mandate=mandate,
        version=version,
        file=f"mandates/canary-{mandate.pk}-{version}.pdf",
        content_type="application/pdf",
        sha256=f"{version:064d}",
        uploaded_by=mandate.advisor.user,
    )
    Mandate.objects.filter(pk=mandate.pk).update(current_scan=scan)
    return scan


def make_mandates_closed():
    due = build_mandate(revoked_at=timezone.now() - timedelta(minutes=5))
    _scan(due)
    return due, build_mandate()


def make_mandate_scans():
    """A replaced version and the current one of a revoked mandate; an active mandate's scan."""
    revoked = build_mandate(revoked_at=timezone.now() - timedelta(minutes=5))
    due = _scan(revoked, version=1)
    _scan(revoked, version=2)
    return due, _scan(build_mandate())


def make_mandates_expired():
    due = build_mandate(duration="1d", now=timezone.now() - timedelta(days=400))
    # Expired last week: still within its month of grace.
    fresh = build_mandate(duration="1d", now=timezone.now() - timedelta(days=8))
    return due, fresh


def _action(mandate):
    return MandateAction.objects.create(
        mandate=mandate,
        family="social_health",
        procedure="Social - Santé",
        kind="form",
        advisor=mandate.advisor,
    )


def make_mandate_actions():
    due = _action(build_mandate(completed_at=timezone.now() - timedelta(hours=1)))
    return due, _action(build_mandate())


# The privacy app's own rule (register of rights requests) is tested with the mandates'
# makers: tests/privacy/ has no privacy_canaries module of its own.
def make_rights_requests():
    from relais.privacy.models import RightsRequest
    from relais.rights.services import due_date

    def request(closed_on):
        received = closed_on - timedelta(days=10)
        return RightsRequest.objects.create(
            kind="access",
            channel="mail",
            requester_label="Personne sans fiche",
            received_on=received,
            due_on=due_date(received),
            status="done",
            closed_on=closed_on,
            outcome="Copie envoyée par courrier.",
        )

    today = timezone.localdate()
    return request(today - timedelta(days=4 * 365)), request(today - timedelta(days=30))

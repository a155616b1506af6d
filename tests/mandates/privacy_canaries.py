"""Canary rows for the mandates' retention rules (collected by tests/privacy/test_purge.py).

Written straight to the database (``build_mandate``): the purge tests expect an empty journal
before the purge runs.
"""

from datetime import timedelta

from django.utils import timezone

from relais.mandates.models import Mandate

from ..privacy.factories import RightsRequestFactory
from .factories import MandateActionFactory, MandateScanFactory, build_mandate


def _scan(mandate, version=1):
    scan = MandateScanFactory(
        mandate=mandate, version=version, file=f"mandates/canary-{mandate.pk}-{version}.pdf"
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


def make_mandate_actions():
    due = MandateActionFactory(
        mandate=build_mandate(completed_at=timezone.now() - timedelta(hours=1))
    )
    return due, MandateActionFactory(mandate=build_mandate())


# The privacy app's own rule (register of rights requests) is tested with the mandates'
# makers: tests/privacy/ has no privacy_canaries module of its own.
def make_rights_requests():
    def request(closed_on):
        return RightsRequestFactory(
            received_on=closed_on - timedelta(days=10),
            status="done",
            closed_on=closed_on,
            outcome="Copie envoyée par courrier.",
        )

    today = timezone.localdate()
    return request(today - timedelta(days=4 * 365)), request(today - timedelta(days=30))

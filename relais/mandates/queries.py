"""Reads about mandates (named data: callers check ``perms`` first, except the counts)."""

from django.db.models import Count
from django.utils import timezone

from .enums import Status
from .models import Mandate, MandateScan


def mandates_for_list(*, status: str = "", beneficiary=None):
    mandates = Mandate.objects.select_related("beneficiary", "advisor__user")
    if status:
        mandates = mandates.with_status(status)
    if beneficiary is not None:
        mandates = mandates.filter(beneficiary=beneficiary)
    # The annotation's GROUP BY drops Meta.ordering: the order is said here, and paging (not a
    # cut at some count) is the view's.
    return mandates.annotate(action_count=Count("actions")).order_by("-signed_at", "-pk")


def mandate_counts(now=None) -> dict:
    """Counts by status and by mode: no name, for coordinators and administrators."""
    now = now or timezone.now()
    rows = [
        {"status": status, "count": Mandate.objects.with_status(status, now).count()}
        for status in Status
    ]
    return {"rows": rows, "total": sum(row["count"] for row in rows)}


def beneficiary_mandate_counts(beneficiary) -> dict:
    now = timezone.now()
    mandates = list(beneficiary.mandates.all())
    active = sum(1 for m in mandates if m.status_at(now) == Status.ACTIVE)
    return {"total": len(mandates), "active": active}


def earlier_scans(mandate):
    """The replaced versions of the signed scan, latest first (callers check
    ``perms.can_view_scan_versions``)."""
    return (
        MandateScan.objects.filter(mandate=mandate)
        .exclude(pk=mandate.current_scan_id)
        .select_related("uploaded_by")
        .order_by("-version")
    )

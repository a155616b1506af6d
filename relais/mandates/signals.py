"""A scan's file goes with its row, however the row is deleted (purge, erasure, cascade).

Scans are deleted with their mandate only (``MandateScan``: versions are never deleted one by
one); the mandate's row is deleted by a service, the beneficiary's erasure or a cascade, and the
file must go in every case, hence a receiver rather than a line in one service.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import MandateScan
from .scans import scan_delete


@receiver(post_delete, sender=MandateScan, dispatch_uid="mandates.delete_scan")
def _delete_scan(sender, instance: MandateScan, **kwargs) -> None:
    if instance.file.name:
        name = instance.file.name
        # After the commit: a rolled-back deletion must not lose the file.
        transaction.on_commit(lambda: scan_delete(name))

"""A mandate's scan goes with it, however the row is deleted (purge, erasure, cascade)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Mandate
from .scans import scan_delete


@receiver(post_delete, sender=Mandate, dispatch_uid="mandates.delete_scan")
def _delete_scan(sender, instance: Mandate, **kwargs) -> None:
    if instance.signed_scan:
        name = instance.signed_scan
        # After the commit: a rolled-back deletion must not lose the file.
        transaction.on_commit(lambda: scan_delete(name))

# Versioned scans, step 2 of 3: each mandate's existing scan becomes its version 1.
#
# The uploader was not stored before; the journal knows it (the "scan_uploaded" event of the
# mandate with the same file hash). Failing that, the account that entered the mandate, then the
# one that checked the identity (never empty). The file itself stays where it is: only its name
# is copied. Backwards, the current version goes back to the mandate's columns; the files of
# earlier versions are left in place (never deleted by a migration).

from django.conf import settings
from django.db import migrations


def _uploader(apps, mandate):
    journal = apps.get_model("privacy", "JournalEntry")
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    entries = journal.objects.filter(
        subject_type="mandates.mandate", subject_id=str(mandate.pk), action="mandate_action"
    ).order_by("-sequence")
    for entry in entries.values("actor_id", "details"):
        details = entry["details"] or {}
        if details.get("event") != "scan_uploaded" or not entry["actor_id"]:
            continue
        if details.get("file_sha256") not in (None, mandate.signed_scan_sha256):
            continue
        if user_model.objects.filter(pk=entry["actor_id"]).exists():
            return entry["actor_id"]
    return mandate.created_by_id or mandate.identity_verified_by_id


def forward(apps, schema_editor):
    mandate_model = apps.get_model("mandates", "Mandate")
    scan_model = apps.get_model("mandates", "MandateScan")
    for mandate in mandate_model.objects.exclude(signed_scan="").filter(current_scan=None):
        scan = scan_model.objects.create(
            mandate=mandate,
            version=1,
            file=mandate.signed_scan,
            content_type=mandate.signed_scan_type,
            sha256=mandate.signed_scan_sha256,
            uploaded_by_id=_uploader(apps, mandate),
            uploaded_at=mandate.signed_scan_uploaded_at or mandate.updated_at,
        )
        mandate_model.objects.filter(pk=mandate.pk).update(current_scan=scan)


def backward(apps, schema_editor):
    mandate_model = apps.get_model("mandates", "Mandate")
    for mandate in mandate_model.objects.exclude(current_scan=None).select_related("current_scan"):
        scan = mandate.current_scan
        mandate_model.objects.filter(pk=mandate.pk).update(
            signed_scan=scan.file.name,
            signed_scan_type=scan.content_type,
            signed_scan_sha256=scan.sha256,
            signed_scan_uploaded_at=scan.uploaded_at,
            current_scan=None,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("mandates", "0002_mandatescan"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]

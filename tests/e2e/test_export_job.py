"""A large export on a 360 px phone: the progress refreshes by itself, then the link appears."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.jobs.models import ExportJob

from ..factories import TOTPDeviceFactory, UserFactory
from .steps import PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_progress_refreshes_then_the_download_appears_on_a_phone(
    page, live_server, settings, tmp_path, assert_accessible, console_errors, screenshot
):
    settings.RELAIS_EXPORTS_DIR = tmp_path
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR))
    job = ExportJob.objects.create(
        requested_by=device.user, label="Activités", kind="activities", fmt="xlsx", fingerprint="f",
        filename="activites-2026-12-06.xlsx", status=ExportJob.Status.RUNNING,
        rows_total=1_000_000, rows_done=250_000,
    )  # fmt: skip
    page.set_viewport_size(PHONE)
    sign_in(page, f"{live_server.url}/taches/exports/{job.pk}/", device.user, device)
    expect(page.get_by_role("heading", level=1)).to_have_text("Export : Activités")
    # French thousands: a narrow no-break space (core.french.number).
    expect(page.get_by_role("status")).to_contain_text(
        "250\u202f000 lignes sur 1\u202f000\u202f000"
    )
    assert_fits_phone(page)
    assert_accessible("export en cours, 360 px")
    screenshot("en-cours")

    # The worker finishes: the page, never reloaded, shows the link at its next poll.
    job.file.save(job.filename, ContentFile(b"PK fichier"), save=False)
    job.status, job.rows_done = ExportJob.Status.DONE, 1_000_000
    # As the worker sets them, from the suite's frozen clock the server reads: valid on any date.
    job.finished_at = job.expires_at = timezone.now() + timezone.timedelta(hours=24)
    job.save()
    link = page.get_by_role("link", name="Télécharger activites-2026-12-06.xlsx")
    expect(link).to_be_visible(timeout=10_000)
    assert_fits_phone(page)
    assert_accessible("export prêt, 360 px")
    screenshot("pret")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "activites-2026-12-06.xlsx"
    assert console_errors == []

"""A large import on a 360 px phone, through a real worker: the page follows the check by itself,
shows the preview to confirm, then the counts once the worker has written the people."""

import time

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from playwright.sync_api import expect

from relais.beneficiaries.models import Beneficiary
from relais.jobs.models import ImportJob

from ..factories import AdvisorFactory, CommuneFactory, TOTPDeviceFactory
from ..jobs.test_import_jobs import HEADERS, PEOPLE, xlsx
from ..jobs.test_worker import database_backend, restore_signals  # noqa: F401 - fixtures
from .steps import PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _worker() -> None:
    """One batch of the real worker. On SQLite the test database is shared in memory with the
    live server's thread, whose answer to the page's poll (every 2 s) can hold a table lock
    just as the worker claims its task: SQLite says « database table is locked » at once (a
    shared-cache lock waits for no timeout). The claim is then simply tried again, as a worker
    would at its next poll; PostgreSQL never needs it."""
    for attempt in range(20):
        try:
            call_command("worker", batch=True, startup_delay=False, worker_id="e2e", verbosity=0)
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 19:
                raise
            time.sleep(0.25)


@pytest.mark.usefixtures("database_backend", "restore_signals")
def test_a_large_import_is_checked_confirmed_and_written_by_a_worker_on_a_phone(
    page, live_server, settings, tmp_path, assert_accessible, console_errors, screenshot
):
    settings.RELAIS_EXPORTS_DIR = tmp_path
    settings.RELAIS_IMPORT_JOB_BYTES = 0  # this small file is « large »
    CommuneFactory(name="Prades")
    device = TOTPDeviceFactory(user=AdvisorFactory().user)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url + reverse("beneficiaries:import"), device.user, device)

    page.get_by_label("Fichier Excel (.xlsx)").set_input_files(
        files=[{"name": "personnes.xlsx", "mimeType": "application/octet-stream",
                "buffer": xlsx([HEADERS, *PEOPLE])}]
    )  # fmt: skip
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import : Personnes accompagnées")
    expect(page.get_by_role("status")).to_contain_text("En attente")
    assert_fits_phone(page)
    assert_accessible("import en attente, 360 px")

    _worker()  # checks the file; the page, never reloaded, shows the preview at its next poll
    confirm = page.get_by_role("button", name="Confirmer l'import")
    expect(confirm).to_be_visible(timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("Aperçu : 3 lignes à importer")
    assert not Beneficiary.objects.exists()
    assert_fits_phone(page)
    assert_accessible("import vérifié, 360 px")
    screenshot("apercu")

    confirm.click()
    expect(page.get_by_role("status")).to_contain_text("Import en cours")
    _worker()  # writes the people
    expect(page.get_by_role("status")).to_contain_text(
        "3 lignes créées, 0 mise à jour, 0 refusée", timeout=10_000
    )
    assert_fits_phone(page)
    assert_accessible("import terminé, 360 px")
    screenshot("termine")
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert Beneficiary.objects.count() == 3
    assert console_errors == []

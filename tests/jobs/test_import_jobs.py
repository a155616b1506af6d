"""Large imports as jobs (issue 16 §2): a file past RELAIS_IMPORT_JOB_BYTES is checked by a
worker, confirmed by its sender, written by a worker all or nothing; the same file twice gives
the same job; a worker killed while writing leaves the result of one run."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from relais.beneficiaries import importing
from relais.beneficiaries.models import Beneficiary, BeneficiaryImport
from relais.jobs.models import ImportJob
from relais.jobs.services import import_check, import_write, imports_purge

from ..factories import AdvisorFactory, CommuneFactory, TOTPDeviceFactory
from ..helpers import committed, login_verified, page_text, run_together
from .test_worker import ROOT, database_backend, restore_signals  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
URL = "beneficiaries:import"
HEADERS = ["Prénom", "Nom", "Année de naissance", "Commune", "Téléphone"]
PEOPLE = [
    ["Aurore", "Garrigue", 1948, "Prades", "06 12 34 56 78"],
    ["Jean", "Cade", 1975, "", ""],
    ["Léa", "Roussillon", "", "prades", ""],
]


@pytest.fixture(autouse=True)
def _large(settings, tmp_path):
    settings.RELAIS_EXPORTS_DIR = tmp_path / "exports"
    settings.RELAIS_IMPORT_JOB_BYTES = 0  # every file is « large »


@pytest.fixture
def prades(db):
    return CommuneFactory(name="Prades")


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _send(client, content: bytes, *, run=True):
    """Upload; with ``run``, the immediate task backend checks it at the commit."""
    upload = SimpleUploadedFile("personnes.xlsx", content)
    if run:
        return committed(client.post, reverse(URL), {"file": upload})
    return client.post(reverse(URL), {"file": upload})


def _confirm(client, job):
    return committed(client.post, reverse("jobs:import_confirm", args=[job.pk]))


def _people() -> set[tuple]:
    """What the database holds, read with the plain ORM (not the importer's code)."""
    return set(
        Beneficiary.objects.values_list("first_name", "last_name", "birth_year", "commune__name")
    )


def test_a_large_file_is_checked_then_confirmed_then_written_by_the_worker(
    advisor_client, advisor_user, prades
):
    response = _send(advisor_client, xlsx([HEADERS, *PEOPLE]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:import", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and job.rows_done == 3
    page = page_text(advisor_client.get(response.url))
    assert "Aperçu : 3 lignes à importer" in page and "Confirmer l'import" in page
    assert "Garrigue" in page
    assert not Beneficiary.objects.exists()  # nothing before the confirmation

    response = _confirm(advisor_client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.rows) == (3, 0, [])
    assert _people() == {
        ("Aurore", "Garrigue", 1948, "Prades"),
        ("Jean", "Cade", 1975, None),
        ("Léa", "Roussillon", None, "Prades"),
    }
    assert set(Beneficiary.objects.values_list("created_by", flat=True)) == {advisor_user.pk}
    page = page_text(advisor_client.get(reverse("jobs:import", args=[job.pk])))
    assert "3 lignes créées, 0 mise à jour, 0 refusée" in page
    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        "Import vérifié, à confirmer : Personnes accompagnées",
        "Import terminé : Personnes accompagnées",
    ]


def test_a_small_file_stays_immediate(advisor_client, prades, settings):
    settings.RELAIS_IMPORT_JOB_BYTES = 1_000_000
    response = _send(advisor_client, xlsx([HEADERS, *PEOPLE]))
    assert "Aperçu : 3 personnes à importer" in page_text(response)
    assert not ImportJob.objects.exists()


def test_a_file_with_errors_is_refused_line_by_line_and_stores_nothing(advisor_client, prades):
    rows = [HEADERS, PEOPLE[0], ["Jean", "Cade", "19x5", "Atlantis", ""], ["", "", 1950, "", ""]]
    _send(advisor_client, xlsx(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REFUSED and job.rows == []
    page = page_text(advisor_client.get(reverse("jobs:import", args=[job.pk])))
    assert "3 erreurs : rien n'a été importé" in page
    assert "2 lignes refusées, 0 créée" in page
    assert "Ligne 3 : année de naissance « 19x5 » : un nombre à 4 chiffres est attendu." in page
    assert "Ligne 3 : commune « Atlantis » introuvable dans le département." in page
    assert "Ligne 4 : nom ou prénom obligatoire." in page
    assert "Confirmer" not in page
    assert not Beneficiary.objects.exists() and not BeneficiaryImport.objects.exists()
    assert [m.subject for m in mail.outbox] == ["Import refusé : Personnes accompagnées"]
    # Confirming a refused job (a forged request) writes nothing.
    _confirm(advisor_client, job)
    assert not Beneficiary.objects.exists()


def test_a_file_past_the_limits_is_refused_at_once_without_a_job(advisor_client, settings):
    settings.RELAIS_IMPORT_MAX_ROWS = 3
    response = _send(advisor_client, xlsx([HEADERS, *PEOPLE]))
    assert "Le fichier dépasse 3 lignes" in page_text(response)
    response = _send(advisor_client, b"not a workbook at all")
    assert "Fichier illisible" in page_text(response)
    assert not ImportJob.objects.exists()


def test_the_same_file_twice_while_it_runs_gives_the_same_job(advisor_client, prades):
    content = xlsx([HEADERS, *PEOPLE])
    first = _send(advisor_client, content, run=False)
    second = _send(advisor_client, content, run=False)
    assert first.url == second.url
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED
    assert "hx-trigger" in advisor_client.get(first.url).content.decode()  # it polls
    import_check(job.pk)
    assert _send(advisor_client, content, run=False).url == first.url  # checked: still the same
    other = _send(advisor_client, xlsx([HEADERS, *PEOPLE[:2]]), run=False)
    assert other.url != first.url and ImportJob.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_file_sent_at_the_same_instant_gives_one_job(prades):
    """Six uploads of one file racing (six tabs): the partial unique constraint leaves one job,
    and every request is sent to it; then six confirmations racing write the people once."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL (set DATABASE_URL=postgres://…, as CI does).")
    advisor = AdvisorFactory()
    device = TOTPDeviceFactory(user=advisor.user)
    content = xlsx([HEADERS, *PEOPLE])
    clients = [login_verified(Client(), advisor.user, device) for _ in range(6)]
    locations, errors = run_together(
        lambda client: _send(client, content, run=False).url, [(c,) for c in clients]
    )
    job = ImportJob.objects.get()
    assert errors == [] and set(locations) == {reverse("jobs:import", args=[job.pk])}
    import_check(job.pk)  # done already at the commit; again: nothing changes
    statuses, errors = run_together(
        lambda client: client.post(reverse("jobs:import_confirm", args=[job.pk])).status_code,
        [(c,) for c in clients],
    )
    assert errors == [] and statuses == [302] * 6
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE  # (the immediate backend ran the tasks)
    assert import_write(job.pk) == ImportJob.Status.DONE  # a retried task: nothing more
    assert Beneficiary.objects.count() == 3 and BeneficiaryImport.objects.count() == 1


def test_confirming_twice_writes_once(advisor_client, prades):
    _send(advisor_client, xlsx([HEADERS, *PEOPLE]))
    job = ImportJob.objects.get()
    _confirm(advisor_client, job)
    _confirm(advisor_client, job)  # a double click, a second tab
    assert import_write(job.pk) == ImportJob.Status.DONE  # the task run again: nothing more
    assert Beneficiary.objects.count() == 3
    assert BeneficiaryImport.objects.get().key == f"import-job-{job.pk}"


def test_a_write_refused_at_confirmation_stores_nothing(advisor_client, prades):
    """The database changed between the check and the confirmation: all or nothing."""
    _send(advisor_client, xlsx([HEADERS, *PEOPLE]))
    job = ImportJob.objects.get()
    rows = job.rows
    rows[2]["phone"] = "06"  # as if the check had let it through
    ImportJob.objects.filter(pk=job.pk).update(rows=rows)
    _confirm(advisor_client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.error.startswith("Ligne 4 : ")
    assert not Beneficiary.objects.exists() and not BeneficiaryImport.objects.exists()
    page = page_text(advisor_client.get(reverse("jobs:import", args=[job.pk])))
    assert "Rien n'a été importé : Ligne 4 : " in page


def test_only_the_sender_sees_and_confirms_the_job(advisor_client, prades, client_for):
    _send(advisor_client, xlsx([HEADERS, *PEOPLE]))
    job = ImportJob.objects.get()
    other = AdvisorFactory().user
    TOTPDeviceFactory(user=other)
    client = client_for(other)
    assert client.get(reverse("jobs:import", args=[job.pk])).status_code == 403
    assert client.post(reverse("jobs:import_confirm", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not Beneficiary.objects.exists()


def test_a_job_and_its_file_are_purged_when_their_time_is_up(advisor_client, prades, settings):
    _send(advisor_client, xlsx([HEADERS, *PEOPLE]))
    job = ImportJob.objects.get()
    path = job.file.path
    assert os.path.exists(path)
    assert imports_purge() == 0
    with time_machine.travel(
        timezone.now() + timedelta(hours=settings.RELAIS_IMPORT_KEEP_HOURS, minutes=1)
    ):
        call_command("purge-imports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not ImportJob.objects.exists() and not os.path.exists(path)


def test_the_checks_progress_is_reported_as_it_goes(advisor_client, prades, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_LINES", 2)
    calls = []
    content = xlsx([HEADERS, *PEOPLE, *PEOPLE])
    preview = importing.read_content(content, progress=lambda *seen: calls.append(seen))
    assert preview.ok and calls == [(2, 6), (4, 6), (6, 6)]
    _send(advisor_client, content)
    job = ImportJob.objects.get()
    assert (job.rows_done, job.rows_total, job.percent) == (6, 6, 100)


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between tasks
@pytest.mark.usefixtures("database_backend", "restore_signals")
def test_a_real_worker_checks_then_writes_the_import(advisor_client, prades):
    from django_tasks_db.models import DBTaskResult

    response = advisor_client.post(
        reverse(URL), {"file": SimpleUploadedFile("p.xlsx", xlsx([HEADERS, *PEOPLE]))}
    )
    job = ImportJob.objects.get()
    assert response.url == reverse("jobs:import", args=[job.pk])
    assert job.status == ImportJob.Status.QUEUED
    call_command("worker", batch=True, startup_delay=False, worker_id="w1", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    advisor_client.post(reverse("jobs:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING and not Beneficiary.objects.exists()
    call_command("worker", batch=True, startup_delay=False, worker_id="w1", verbosity=0)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Beneficiary.objects.count() == 3
    assert {row.status for row in DBTaskResult.objects.all()} == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="a worker in another process needs a database it can reach (PostgreSQL)",
)
@pytest.mark.usefixtures("database_backend")
def test_a_worker_killed_while_writing_leaves_the_result_of_one_run(
    advisor_user, prades, tmp_path, settings
):
    """SIGKILL a real worker with the rows written but not committed: the retry writes them
    once; the people, counted with plain SQL, are those of one run."""
    from relais.jobs.services import import_confirm, import_request

    marker = tmp_path / "killed-once"
    job = import_request(
        user=advisor_user, label="Personnes accompagnées",
        importer="tests.jobs.tasks_for_tests.SlowFirstWrite", filename="p.xlsx",
        content=xlsx([HEADERS, *PEOPLE]),
    )  # fmt: skip
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.jobs.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "RELAIS_EXPORTS_DIR": str(settings.RELAIS_EXPORTS_DIR),
        "RELAIS_WORKER_HEARTBEAT_SECONDS": "1",
        "RELAIS_WORKER_LOST_AFTER_SECONDS": "2",
        "RELAIS_TEST_KILL_MARKER": str(marker),
    }
    command = [sys.executable, "-m", "relais", "worker", "--no-startup-delay", "--interval",
               "0.2", "--verbosity", "0"]  # fmt: skip
    subprocess.run([*command, "--worker-id", "checker", "--batch"], cwd=ROOT, env=env, timeout=120)  # noqa: S603
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    import_confirm(job=job)
    first = subprocess.Popen([*command, "--worker-id", "first"], cwd=ROOT, env=env)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert marker.exists()  # the rows are written, the transaction still open
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM beneficiaries_beneficiary")
        assert cursor.fetchone()[0] == 0  # rolled back with the dead worker's connection
    time.sleep(3)  # the dead worker's last heartbeat grows old
    second = subprocess.run(  # noqa: S603 - our own command
        [*command, "--worker-id", "second", "--batch"], cwd=ROOT, env=env, timeout=120
    )
    assert second.returncode == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 3
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_name, last_name FROM beneficiaries_beneficiary ORDER BY last_name"
        )
        assert cursor.fetchall() == [
            ("Jean", "Cade"),
            ("Aurore", "Garrigue"),
            ("Léa", "Roussillon"),
        ]
        cursor.execute("SELECT count(*) FROM beneficiaries_beneficiaryimport")
        assert cursor.fetchone()[0] == 1

"""Property: a real import file, transformed (rows and columns reordered, blank lines added,
cells typed otherwise, headers spelled otherwise, sometimes spoilt), gives through the import
job the people of the original file or a refusal — never other people accepted; and the job
answers exactly as the page's immediate path does for the same bytes."""

import datetime as dt
from io import BytesIO

import pytest
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from relais.beneficiaries import importing
from relais.beneficiaries.models import Beneficiary
from relais.beneficiaries.services import beneficiaries_import
from relais.jobs.models import ImportJob
from relais.jobs.services import import_check, import_confirm, import_request, import_write

from ..factories import AdvisorFactory, CommuneFactory

pytestmark = pytest.mark.django_db

# Each column: its header spellings (all recognised) and each value's typings (all equivalent).
HEADERS = [
    ("Prénom", "PRENOM", "prénom "),
    ("Nom", "NOM", " nom"),
    ("Année de naissance", "annee de naissance", "Naissance"),
    ("Genre", "genre"),
    ("Statut", "STATUT"),
    ("Commune", "commune"),
    ("Téléphone", "Tél", "telephone"),
    ("E-mail", "Courriel", "email"),
    ("Consentement le", "consentement le"),
    ("Version de la mention", "VERSION DE LA MENTION"),
]
PEOPLE = [
    ("Aurore", "Garrigue", 1948, "Femme", "Retraitée", "Prades", "06 12 34 56 78", "",
     dt.date(2026, 3, 2), "v2"),
    ("Jean", "Cade", 1975, "", "", "", "", "jean@exemple.fr", None, ""),
    ("Léa", "Roussillon", None, "F", "Sans emploi", "prades", "", "", dt.date(2025, 11, 30),
     "2025-1"),
    ("Marc", "Olibet", 2001, "Homme", "En emploi", "", "0468000000", "", None, ""),
]  # fmt: skip
EXPECTED = {
    ("Aurore", "Garrigue", 1948, "female", "retired", "Prades", "+33612345678", "",
     dt.date(2026, 3, 2), "v2"),
    ("Jean", "Cade", 1975, "unknown", "unknown", None, "", "jean@exemple.fr", None, ""),
    ("Léa", "Roussillon", None, "female", "unemployed", "Prades", "", "", dt.date(2025, 11, 30),
     "2025-1"),
    ("Marc", "Olibet", 2001, "male", "employed", None, "+33468000000", "", None, ""),
}  # fmt: skip
FIELDS = ("first_name", "last_name", "birth_year", "gender", "social_status", "commune__name",
          "phone", "email", "consent_given_on", "consent_text_version")  # fmt: skip


def _typings(column: int, value) -> list:
    """Equivalent cells for one value: what a spreadsheet program may have stored instead."""
    if value is None or value == "":
        return [value, None, "", "  "]
    if column == 2:  # the year: a number, a text, a decimal number
        return [value, str(value), float(value), f" {value} "]
    if column == 8:  # the consent date: a date, a date and time, a French text
        return [value, dt.datetime.combine(value, dt.time(0)), value.strftime("%d/%m/%Y")]
    return [value, f"{value} "]


SPOILERS = {
    # One cell made wrong: each must be refused, whatever else changed.
    "year": (2, "19x5"),
    "gender": (3, "Inconnu"),
    "commune": (5, "Atlantis"),
    "email": (7, "pas-un-mail"),
    "date": (8, "31/02/2026"),
}


@st.composite
def transformed_files(draw):
    columns = draw(st.permutations(range(len(HEADERS))))
    order = draw(st.permutations(range(len(PEOPLE))))
    header = [draw(st.sampled_from(HEADERS[c])) for c in columns]
    rows = []
    for index in order:
        person = PEOPLE[index]
        rows.append([draw(st.sampled_from(_typings(c, person[c]))) for c in columns])
    blanks = draw(st.lists(st.integers(0, len(rows)), max_size=3))
    for position in sorted(blanks, reverse=True):
        rows.insert(position, [draw(st.sampled_from([None, "", " "])) for _ in columns])
    spoilt = draw(st.none() | st.sampled_from(sorted(SPOILERS)))
    if spoilt:
        column, value = SPOILERS[spoilt]
        row = draw(st.sampled_from([r for r in rows if any(c not in (None, "", " ") for c in r)]))
        row[columns.index(column)] = value
    extra = draw(st.booleans())
    if extra:  # an unknown column: refused (« colonne inconnue »)
        header.append("Pointure")
        for row in rows:
            row.append(42)
    workbook = Workbook()
    for row in [header, *rows]:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), bool(spoilt or extra)


def _people() -> set[tuple]:
    return set(Beneficiary.objects.values_list(*FIELDS))


def _through_the_job(content: bytes, user):
    job = import_request(
        user=user, label="Personnes accompagnées", importer=importing.JOB_STEPS,
        filename="personnes.xlsx", content=content,
    )  # fmt: skip
    import_check(job.pk)  # what the worker runs (the tasks wait for a commit that never comes)
    job.refresh_from_db()
    if job.status == ImportJob.Status.CHECKED:
        import_confirm(job=job)
        import_write(job.pk)
        job.refresh_from_db()
    return job


def _through_the_page(content: bytes, user):
    preview = importing.read_content(content)
    if preview.ok:
        beneficiaries_import(rows=preview.rows, created_by=user, key="page")
    return preview


def _run(content: bytes, path) -> tuple:
    """Both paths, each on a database rolled back afterwards: (job, its people, preview, the
    page's people)."""
    with override_settings(RELAIS_EXPORTS_DIR=path), transaction.atomic():
        CommuneFactory(name="Prades")
        job = _through_the_job(content, AdvisorFactory().user)
        by_job = _people()
        transaction.set_rollback(True)
    with transaction.atomic():
        CommuneFactory(name="Prades")
        preview = _through_the_page(content, AdvisorFactory().user)
        by_page = _people()
        transaction.set_rollback(True)
    return job, by_job, preview, by_page


def test_the_original_file_is_accepted(tmp_path):
    """The property below would hold vacuously if the file were always refused."""
    workbook = Workbook()
    for row in [[h[0] for h in HEADERS], *PEOPLE]:
        workbook.active.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    job, by_job, _, by_page = _run(buffer.getvalue(), tmp_path)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert by_job == by_page == EXPECTED


@settings(
    max_examples=40, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(case=transformed_files())
def test_a_transformed_file_gives_the_same_people_or_a_refusal(case, tmp_path):
    content, spoilt = case
    job, by_job, preview, by_page = _run(content, tmp_path)
    if job.status == ImportJob.Status.DONE:
        assert by_job == EXPECTED, job.warnings
        assert job.created_count == len(EXPECTED)
    else:
        assert job.status == ImportJob.Status.REFUSED and job.errors
        assert by_job == set()
    assert not spoilt or job.status == ImportJob.Status.REFUSED
    # The page and the job: the same answer for the same bytes.
    assert by_page == by_job
    assert preview.errors == job.errors

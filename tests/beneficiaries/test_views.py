"""Beneficiary pages: professional secrecy, duplicates on creation, XLSX import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relais.activities.models import Activity
from relais.beneficiaries.models import Beneficiary

from ..activities.factories import record_individual
from ..factories import CommuneFactory
from ..helpers import page_text, sheet_rewritten, xlsx_bytes
from .factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db
NAMED_PAGES = ["list", "create", "import", "detail", "edit", "delete", "merge"]


def _urls(person):
    return [
        reverse(
            f"beneficiaries:{name}",
            args=[person.pk] if name in {"detail", "edit", "delete", "merge"} else [],
        )
        for name in NAMED_PAGES
    ]


def test_advisers_see_the_team_s_beneficiaries(advisor_client):
    person = BeneficiaryFactory(first_name="Aurore", last_name="Garrigue")
    for url in _urls(person):
        assert advisor_client.get(url).status_code == 200, url
    assert "Aurore GARRIGUE" in page_text(advisor_client.get(reverse("beneficiaries:list")))
    found = advisor_client.get(reverse("beneficiaries:list") + "?q=aurore garrigue")
    assert "Aurore GARRIGUE" in page_text(found)
    nav = page_text(advisor_client.get("/"))
    assert "Activités" in nav and "Bénéficiaires" in nav


@pytest.mark.parametrize(
    "persona",
    [
        "coordinator_client",
        "partner_client",
        "outsider_client",
        "committee_client",
        "administrator_client",
    ],
)
def test_nobody_else_sees_names(request, persona, advisor, place):
    """Art. 2: coordinators, partners, the committee (and administrators) see aggregates only."""
    client = request.getfixturevalue(persona)
    person = BeneficiaryFactory(first_name="Aurore", last_name="Garrigue")
    activity = record_individual(advisor, place=place, beneficiary=person)
    for url in [*_urls(person), activity.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Garrigue" not in response.content.decode()
    for url in ["/", "/lieux/", place.get_absolute_url()]:
        response = client.get(url)
        assert "Garrigue" not in response.content.decode(), url
    assert client.post(reverse("beneficiaries:delete", args=[person.pk])).status_code == 403
    assert Beneficiary.objects.filter(pk=person.pk).exists()
    assert client.get("/admin/beneficiaries/").status_code in {302, 404}


def test_creation_shows_duplicates_then_creates_when_confirmed(advisor_client, advisor_user):
    existing = BeneficiaryFactory(first_name="Éloïse", last_name="Dupont", birth_year=1961)
    url = reverse("beneficiaries:create")
    data = {
        "first_name": "eloise",
        "last_name": "DUPONT",
        "birth_year": "1961",
        "gender": "female",
        "social_status": "retired",
        "consent": "on",
    }
    response = advisor_client.post(url, data)
    assert response.status_code == 200
    assert "a peut-être déjà une fiche" in page_text(response)
    assert existing.get_absolute_url() in response.content.decode()
    assert Beneficiary.objects.count() == 1
    response = advisor_client.post(url, {**data, "confirm_not_duplicate": "on"})
    created = Beneficiary.objects.exclude(pk=existing.pk).get()
    assert response["Location"] == created.get_absolute_url()
    assert created.created_by == advisor_user
    assert created.consent_given_on is not None and created.consent_text_version


def test_delete_page_anonymises(advisor_client, advisor, place):
    person = BeneficiaryFactory()
    record_individual(advisor, place=place, beneficiary=person)
    response = advisor_client.post(reverse("beneficiaries:delete", args=[person.pk]))
    assert response["Location"] == reverse("beneficiaries:list")
    assert not Beneficiary.objects.exists()
    assert Activity.objects.get().beneficiary is None


def test_merge_page(advisor_client, advisor, place):
    keep, remove = BeneficiaryFactory(), BeneficiaryFactory()
    record_individual(advisor, place=place, beneficiary=remove)
    url = reverse("beneficiaries:merge", args=[keep.pk])
    assert advisor_client.post(url, {"remove": remove.pk})["Location"] == keep.get_absolute_url()
    assert Activity.objects.get().beneficiary == keep


def _xlsx(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("personnes.xlsx", xlsx_bytes(rows))


HEADERS = [
    "Prénom",
    "NOM",
    "Année de naissance",
    "Genre",
    "Statut",
    "Commune",
    "Téléphone",
    "E-mail",
]


def test_import_preview_then_confirm(advisor_client, advisor_user):
    CommuneFactory(name="Prades")
    url = reverse("beneficiaries:import")
    upload = _xlsx(
        [
            HEADERS,
            ["Aurore", "Garrigue", 1948, "Femme", "Retraitée", "prades", "06 12 34 56 78", ""],
            [None] * 8,
            ["Jean", "Cade", "", "", "", "", "", "jean@exemple.fr"],
        ]
    )
    response = advisor_client.post(url, {"file": upload})
    text = page_text(response)
    assert "Aperçu : 2 personnes à importer" in text
    assert not Beneficiary.objects.exists()  # nothing before the confirmation
    token = response.context["token"]
    response = advisor_client.post(url, {"rows": token})
    assert response["Location"] == reverse("beneficiaries:list")
    aurore = Beneficiary.objects.get(last_name="Garrigue")
    assert (aurore.gender, aurore.social_status, aurore.commune.name, aurore.phone) == (
        "female",
        "retired",
        "Prades",
        "+33612345678",
    )
    assert aurore.created_by == advisor_user
    assert Beneficiary.objects.count() == 2


def test_import_lists_errors_by_line_and_imports_nothing(advisor_client):
    url = reverse("beneficiaries:import")
    upload = _xlsx(
        [
            HEADERS,
            ["Aurore", "Garrigue", 1948, "", "", "", "", ""],
            ["Jean", "Cade", "19x5", "Inconnu", "", "Atlantis", "06", "pas-un-mail"],
            ["", "", 1950, "", "", "", "", ""],
        ]
    )
    response = advisor_client.post(url, {"file": upload})
    text = page_text(response)
    assert "rien n'a été importé" in text
    assert "Ligne 3 : année de naissance « 19x5 »" in text
    assert "Ligne 3 : genre « Inconnu » inconnu" in text
    assert "Ligne 3 : commune « Atlantis » introuvable" in text
    assert "Ligne 4 : nom ou prénom obligatoire." in text
    assert "Ligne 2" not in text
    assert response.context["token"] == ""
    assert not Beneficiary.objects.exists()


def test_import_checks_model_rules_and_unknown_columns(advisor_client):
    url = reverse("beneficiaries:import")
    response = advisor_client.post(url, {"file": _xlsx([["Nom", "Pointure"], ["Cade", 42]])})
    assert "Ligne 1 : colonne « Pointure » inconnue." in page_text(response)
    response = advisor_client.post(
        url, {"file": _xlsx([["Nom", "Téléphone", "E-mail"], ["Cade", "06", "x"]])}
    )
    text = page_text(response)
    assert "Ligne 2 : téléphone : Ce numéro de téléphone n'est pas valide" in text
    assert "Ligne 2 : e-mail" in text
    assert not Beneficiary.objects.exists()


def test_import_refuses_a_tampered_preview(advisor_client):
    response = advisor_client.post(reverse("beneficiaries:import"), {"rows": "forged:token"})
    assert "L'aperçu a expiré ou a été modifié" in page_text(response)
    assert not Beneficiary.objects.exists()


def test_import_is_all_or_nothing_at_confirmation(advisor_client):
    from relais.beneficiaries.importing import sign_rows

    blank = {"gender": "unknown", "social_status": "unknown", "commune": None, "phone": "",
             "email": "", "consent_given_on": None, "consent_text_version": ""}  # fmt: skip
    rows = [
        {**blank, "line": 2, "first_name": "A", "last_name": "B", "birth_year": None},
        {**blank, "line": 3, "first_name": "C", "last_name": "D", "birth_year": 1800},
    ]
    response = advisor_client.post(reverse("beneficiaries:import"), {"rows": sign_rows(rows)})
    assert "Ligne 3 :" in page_text(response)
    assert "Aucune ligne n'a été importée" in page_text(response)
    assert not Beneficiary.objects.exists()


def test_viewing_a_record_is_journaled_without_the_name(advisor_client, advisor_user):
    from relais.privacy.models import JournalEntry

    from .factories import BeneficiaryFactory

    beneficiary = BeneficiaryFactory(first_name="Odile", last_name="Romarin")
    before = JournalEntry.objects.count()
    assert advisor_client.get(beneficiary.get_absolute_url()).status_code == 200
    entry = JournalEntry.objects.order_by("sequence").last()
    assert JournalEntry.objects.count() == before + 1
    assert entry.action == "personal_data_view"
    assert "Romarin" not in str(entry.details) and "Odile" not in str(entry.details)


def test_import_refuses_an_xml_entity_bomb(advisor_client):
    """A workbook whose sheet declares XML entities (« billion laughs ») is refused as
    unreadable, without expanding them: relais.core.spreadsheets.check_upload refuses any DTD
    before a parser reads the file (and openpyxl would parse through defusedxml)."""

    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML  # a declared dependency, not a lucky transitive one
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    bomb = sheet_rewritten(
        xlsx_bytes([["Nom"], ["Cade"]]),
        lambda data: (
            f"<!DOCTYPE worksheet [{entities}]>".encode() + data.split(b"?>")[-1]
        ).replace(b">Cade<", b">&i;<"),
    )
    upload = SimpleUploadedFile("personnes.xlsx", bomb)
    response = advisor_client.post(reverse("beneficiaries:import"), {"file": upload})
    assert response.status_code == 200
    assert "Fichier illisible" in page_text(response)
    assert not Beneficiary.objects.exists()


def test_import_reports_a_sheet_broken_past_its_first_line(advisor_client):
    """Rows are read lazily: a sheet whose XML breaks after the headers is still reported
    as unreadable (not a server error) and nothing is kept."""

    broken = sheet_rewritten(
        xlsx_bytes([["Nom"], ["Cade"], ["Garrigue"]]),
        lambda data: data.replace(b">Garrigue<", b">&inconnue;<"),
    )
    upload = SimpleUploadedFile("personnes.xlsx", broken)
    response = advisor_client.post(reverse("beneficiaries:import"), {"file": upload})
    assert response.status_code == 200
    assert "Fichier illisible" in page_text(response)
    assert response.context["token"] == ""

"""`relais demo`: the seed's data, idempotent, one login per role."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.core.demo import DEMO_PASSWORD
from relais.core.models import Organisation
from relais.places.models import Place
from relais.team.enums import AdvisorKind
from relais.team.models import Advisor

from ..helpers import totp_code

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"core", "accounts", "places", "team", "otp_totp", "otp_static"}
    }


def test_demo_refuses_to_run_outside_debug_without_force():
    with pytest.raises(CommandError, match="mode DEBUG"):
        call_command("demo")
    assert not Organisation.objects.exists()


def test_demo_twice_leaves_the_same_row_counts(capsys):
    call_command("demo", "--force")
    first = _row_counts()
    call_command("demo", "--force")
    assert _row_counts() == first
    assert first["core.Commune"] == 226
    assert first["core.Organisation"] == 2
    assert first["places.Place"] == 9
    assert first["team.Advisor"] == 26


def test_demo_holds_the_seed_facts(capsys):
    call_command("demo", "--force")
    department = Organisation.objects.get(kind="department")
    assert department.name == "Département des Pyrénées-Orientales"
    assert department.postal_address == (
        "Hôtel du Département, 24 quai Sadi Carnot, 66906 Perpignan"
    )
    assert department.representative_name == "Hermeline MALHERBE"
    partner = Organisation.objects.get(kind="epci")
    assert partner.name == (
        "Réseau intercommunal des médiathèques de la Communauté de Communes Conflent Canigó"
    )
    assert partner.postal_address == "Château Pams – Route de Ria, 66500 Prades"
    assert partner.representative_name == "Jean-Louis JALLAT"
    places = dict(Place.objects.values_list("name", "commune__name"))
    assert places == {
        "Médiathèque de Prades": "Prades",
        "Médiathèque de Vinça": "Vinça",
        "Médiathèque de Marquixanes": "Marquixanes",
        "Bibliothèque de Catllar": "Catllar",
        "Bibliothèque de Sahorre": "Sahorre",
        "Bibliothèque de Ria-Sirach": "Ria-Sirach",
        "Commune de Los Masos": "Los Masos",
        "Commune de Villefranche-de-Conflent": "Villefranche-de-Conflent",
        "Commune de Baillestavy": "Baillestavy",
    }
    assert Advisor.objects.filter(kind=AdvisorKind.AMBASSADOR).count() == 15
    assert Advisor.objects.filter(kind=AdvisorKind.CNFS).count() == 11


def test_demo_prints_one_working_login_per_role(capsys):
    call_command("demo", "--force")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for role in Role:
        assert role.label in out
    for email in [
        "coordination@demo.relais.test",
        "lea.pixel@demo.relais.test",
        "mediatheques@demo.relais.test",
        "comite@demo.relais.test",
        "admin@demo.relais.test",
    ]:
        assert email in out
        user = User.objects.get(email=email)
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        if user.requires_two_factor:
            device = user.totpdevice_set.get()
            response = client.post(
                reverse("accounts:otp_verify"), {"token": totp_code(device), "next": "/"}
            )
            assert response["Location"] == "/"
        assert client.get("/").status_code == 200, email


def test_demo_totp_prints_current_codes(capsys):
    call_command("demo", "--force")
    capsys.readouterr()
    call_command("demo-totp")
    out = capsys.readouterr().out
    device = User.objects.get(email="coordination@demo.relais.test").totpdevice_set.get()
    assert "coordination@demo.relais.test" in out
    assert totp_code(device) in out or "valable encore" in out


def test_demo_imports_the_seed_deliberation_and_agreement(capsys):
    from datetime import date

    from relais.agreements.importing import agreement_discrepancies
    from relais.agreements.models import Agreement, Deliberation

    call_command("demo", "--force")
    deliberation = Deliberation.objects.get(order_number="37-24")
    assert (
        deliberation.members_in_office,
        deliberation.present_count,
        deliberation.voters,
        deliberation.votes_for,
    ) == (71, 51, 55, 55)
    assert deliberation.members.filter(attendance="proxy").count() == 4
    seed = Agreement.objects.get(successor__isnull=False)
    assert seed.signatories.count() == 10
    timeline = seed.timeline(date(2026, 11, 26))
    assert (timeline.status, timeline.end_date) == ("ended", date(2026, 6, 22))
    assert agreement_discrepancies(seed) == [
        "Commune de Baillestavy (1 demi-journée par semaine) figure dans la délibération "
        "mais pas dans la convention."
    ]
    successor = seed.successor
    assert successor.timeline(date(2026, 11, 26)).status == "in_force"
    assert successor.commitments.count() == 8

"""The home dashboard of each role, with real empty states."""

import pytest
from django.urls import reverse

from relais.places.models import Place

from ..factories import AdvisorFactory
from ..helpers import page_text

pytestmark = pytest.mark.django_db
HOME = reverse("dashboards:home")


def test_coordinator_dashboard_counts_and_flags_places_missing_requirements(
    coordinator_client, place, other_place
):
    Place.objects.filter(pk=other_place.pk).update(has_confidential_office=False)
    AdvisorFactory.create_batch(2)
    AdvisorFactory(kind="cnfs")
    page = page_text(coordinator_client.get(HOME))
    assert "Tableau de bord de la coordination" in page
    assert "2 lieux d'intervention" in page
    # advisor_user is not created here: 3 advisers, 2 ambassadors, 1 CnFS
    assert "3 conseillers : 2 ambassadeurs, 1 CnFS" in page
    assert other_place.name in page and "bureau confidentiel fermé" in page


def test_coordinator_dashboard_empty_state(coordinator_client):
    page = page_text(coordinator_client.get(HOME))
    assert "Aucun lieu d'intervention n'est encore enregistré" in page


def test_advisor_dashboard_shows_profile_and_empty_week(advisor_client, advisor_user):
    page = page_text(advisor_client.get(HOME))
    assert f"Bonjour {advisor_user.first_name}" in page
    assert "Aucune permanence ne vous est affectée" in page
    assert advisor_user.advisor.home_commune.name in page


def test_partner_dashboard_lists_only_its_places(partner_client, place, other_place):
    page = page_text(partner_client.get(HOME))
    assert place.name in page
    assert other_place.name not in page


def test_partner_dashboard_empty_state(partner_client):
    assert "Aucun lieu n'est encore rattaché" in page_text(partner_client.get(HOME))


def test_committee_dashboard_is_aggregates_only(committee_client, place):
    AdvisorFactory()
    page = page_text(committee_client.get(HOME))
    assert "Comité technique départemental" in page
    assert "Aucun bilan n'a encore été soumis" in page
    assert "1 conseiller numérique" in page


def test_administrator_dashboard_lists_accounts_pending_2fa(administrator_client):
    pending = AdvisorFactory().user
    page = page_text(administrator_client.get(HOME))
    assert pending.get_full_name() in page
    assert "Comptes sans double authentification" in page


def test_navigation_depends_on_role(coordinator_client, partner_client, committee_client):
    assert 'href="/equipe/"' in coordinator_client.get(HOME).content.decode()
    assert 'href="/equipe/"' not in partner_client.get(HOME).content.decode()
    assert 'href="/structures/"' in committee_client.get(HOME).content.decode()
    assert 'aria-current="page"' in coordinator_client.get(HOME).content.decode()


def test_error_pages_are_french(coordinator_client):
    response = coordinator_client.get("/nulle-part/")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


def test_health_check(client):
    response = client.get(reverse("core:health"))
    assert response.json() == {"status": "ok"}


def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_server_error_page_needs_no_database_or_context(rf):
    from relais.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()

import pytest
from django.urls import reverse

from ..helpers import page_text

pytestmark = pytest.mark.django_db


def test_partner_staff_see_only_their_places(partner_client, place, other_place):
    page = page_text(partner_client.get(reverse("places:list")))
    assert place.name in page and other_place.name not in page
    assert partner_client.get(place.get_absolute_url()).status_code == 200


def test_outsider_gets_403_on_another_partners_place(outsider_client, place):
    response = outsider_client.get(place.get_absolute_url())
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_coordinator_sees_every_place_and_its_requirements(coordinator_client, place, other_place):
    page = page_text(coordinator_client.get(reverse("places:list")))
    assert place.name in page and other_place.name in page
    detail = page_text(coordinator_client.get(place.get_absolute_url()))
    assert "Conditions d'accueil" in detail


def test_missing_requirements_are_listed_in_french(place):
    place.room_capacity = 4
    place.has_phone = False
    assert place.missing_requirements == ["salle de 6 à 8 personnes", "téléphone"]


def test_unknown_place_is_404(coordinator_client):
    assert coordinator_client.get("/lieux/inexistant/").status_code == 404

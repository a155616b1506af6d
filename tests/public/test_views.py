"""The public pages of the places: no login, the next permanences, workshops, the mention."""

from datetime import date

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

from relais.planning import services as planning_services
from relais.public import queries

from ..helpers import count_tags, page_text
from ..workshops.factories import WorkshopSessionFactory, WorkshopTopicFactory

pytestmark = pytest.mark.django_db

MENTION = (
    "Opération menée par le Département des Pyrénées-Orientales, avec l'appui financier de "
    "l'État, dans le cadre de sa politique départementale d'inclusion Numérique"
)


def test_the_place_page_is_public_and_tells_when_where_and_how(
    client, prades, advisor, make_slot, december
):
    make_slot(prades, [advisor], weekday=4)  # Fridays, 9 h – 12 h
    topic = WorkshopTopicFactory(title="Créer et gérer son adresse e-mail")
    WorkshopSessionFactory(topic=topic, place=prades)
    response = client.get(reverse("public:place", kwargs={"slug": "mediatheque-prades"}))
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(response)
    assert count_tags(html, "h1") == 1
    assert "Vendredi 4 décembre, 9 h – 12 h" in text
    assert "Vendredi 18 décembre" in text
    assert "25 décembre" not in text  # Christmas
    assert "Vendredi 9 h – 12 h" in text  # the weekly hours
    assert "Créer et gérer son adresse e-mail" in text
    assert MENTION in text
    assert "Sans rendez-vous" in text
    assert 'href="tel:0468000000"' in html
    assert "Château Pams, route de Ria" in text
    assert "https://www.openstreetmap.org/?mlat=42.61750&amp;mlon=2.42170" in html
    assert "<iframe" not in html and "<script>" not in html and "style=" not in html
    assert "Lieu accessible aux personnes à mobilité réduite" in text
    assert "Du mardi au samedi : 9 h – 12 h" in text  # opening hours of the place
    assert reverse("public:place_poster", kwargs={"slug": "mediatheque-prades"}) in html
    assert "Léa" not in text and "Pixel" not in text  # advisers are not named publicly


def test_a_cancelled_permanence_is_shown_with_its_reason(
    client, prades, advisor, make_slot, december
):
    slot = make_slot(prades, [advisor], weekday=4)
    planning_services.occurrence_cancel(
        slot=slot, day=date(2026, 12, 11), reason="Fermeture pour inventaire"
    )
    text = page_text(client.get(reverse("public:place", kwargs={"slug": prades.slug})))
    assert (
        "Vendredi 11 décembre, 9 h – 12 h — Permanence annulée (Fermeture pour inventaire)" in text
    )


def test_the_appointment_button_follows_the_appointments_url(client, prades, monkeypatch):
    url = reverse("public:place", kwargs={"slug": prades.slug})
    monkeypatch.setattr(queries, "appointment_url", lambda place: None)
    assert "Prendre rendez-vous" not in page_text(client.get(url))
    monkeypatch.setattr(queries, "appointment_url", lambda place: "/rdv/prades/")
    # Patched under the page cache's feet: a real change goes through a service, which renews
    # the page (tests/public/test_page_cache.py); here, forget the first page.
    cache.clear()
    caches["public_pages"].clear()
    response = client.get(url)
    assert 'href="/rdv/prades/"' in response.content.decode()
    assert "Prendre rendez-vous" in page_text(response)


def test_an_inactive_or_unknown_place_has_no_public_page(client, prades):
    prades.is_active = False
    prades.save()
    assert client.get(reverse("public:place", kwargs={"slug": prades.slug})).status_code == 404
    assert client.get(reverse("public:place", kwargs={"slug": "inconnu"})).status_code == 404


def test_the_index_lists_places_by_commune_and_filters_without_javascript(
    client, prades, other_place, advisor, make_slot, december
):
    make_slot(prades, [advisor], weekday=4)
    response = client.get(reverse("public:place_index"))
    assert response.status_code == 200
    text = page_text(response)
    assert count_tags(response.content.decode(), "h1") == 1
    assert "Prades (66500)" in text and "Céret" in text
    assert "Prochaine permanence : vendredi 4 décembre, 9 h – 12 h" in text
    filtered = page_text(client.get(reverse("public:place_index"), {"commune": "ceret"}))
    assert other_place.name in filtered and prades.name not in filtered
    assert "1 lieu pour « ceret »" in filtered


def test_the_staff_place_page_links_to_the_posters(coordinator_client, prades):
    html = coordinator_client.get(prades.get_absolute_url()).content.decode()
    poster = reverse("public:place_poster", kwargs={"slug": prades.slug})
    assert f'href="{poster}"' in html and f'href="{poster}?format=a3"' in html
    assert "Imprimer l'affiche" in html or "Imprimer l&#x27;affiche" in html

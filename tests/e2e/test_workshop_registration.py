"""A resident registers to a workshop on a phone, without an account, then cancels by the link;
another one lands on the waiting list of a full session. Every public page passes axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from relais.bookings.enums import RegistrationStatus
from relais.bookings.models import Registration

from ..factories import PlaceFactory
from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory, WorkshopTopicFactory
from .steps import PHONE, assert_fits_phone, path_in_email

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def programme():
    place = PlaceFactory(name="Médiathèque de Prades", slug="mediatheque-prades")
    topic = WorkshopTopicFactory(
        title="Créer et gérer son adresse e-mail",
        slug="creer-et-gerer-son-adresse-e-mail",
        description="Ouvrir une boîte aux lettres électronique et l'utiliser sans crainte.",
        prerequisites="Savoir utiliser une souris.",
    )
    open_session = WorkshopSessionFactory(topic=topic, place=place)
    full_topic = WorkshopTopicFactory(
        title="Vérifier une information sur internet", slug="verifier-une-information"
    )
    full_session = WorkshopSessionFactory(topic=full_topic, place=place, capacity=6)
    RegistrationFactory.create_batch(6, session=full_session)
    return open_session, full_session


def test_a_resident_registers_gets_the_email_and_cancels_by_the_link(
    page, live_server, programme, assert_accessible, console_errors
):
    session, _ = programme
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/ateliers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ateliers numériques")
    assert_fits_phone(page)
    assert_accessible("catalogue public")

    page.get_by_role("link", name=re.compile("Voir les dates et s'inscrire : Créer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(session.topic.title)
    assert_accessible("page d'un atelier")
    page.get_by_role("link", name=re.compile("^S'inscrire")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription à l'atelier")
    assert_fits_phone(page)
    assert_accessible("formulaire d'inscription")
    # No contact at all: a French message, nothing booked.
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Exemple")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez au moins un moyen de vous joindre")
    assert_accessible("formulaire d'inscription avec erreur")
    assert not Registration.objects.filter(session=session).exists()

    page.get_by_label("Adresse e-mail").fill("camille.exemple@exemple.test")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription confirmée")
    assert_fits_phone(page)
    assert_accessible("confirmation")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["camille.exemple@exemple.test"]
    assert email.attachments[0][0] == "atelier.ics"
    path = path_in_email(email, "/inscriptions/")

    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre inscription")
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription annulée")
    expect(page.get_by_role("status")).to_contain_text("Votre inscription est annulée")
    assert_accessible("inscription annulée")
    assert Registration.objects.get(session=session).status == RegistrationStatus.CANCELLED
    assert console_errors == []


def test_a_resident_joins_the_waiting_list_of_a_full_session(
    page, live_server, programme, assert_accessible
):
    _, full_session = programme
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + full_session.topic.get_absolute_url())
    expect(page.get_by_text("Complet")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Rejoindre la liste d'attente")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Liste d'attente")
    assert_accessible("inscription sur liste d'attente")

    page.get_by_label("Prénom").fill("Dominique")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Essai")
    page.get_by_label("Téléphone").fill("06 39 98 00 05")
    page.get_by_label(re.compile("J'ai lu et j'accepte")).check()
    page.get_by_role("button", name="Rejoindre la liste d'attente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes sur la liste d'attente")
    expect(page.get_by_text("en position 1")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("liste d'attente")
    registration = Registration.objects.get(last_name="Essai")
    assert registration.status == RegistrationStatus.WAITING
    assert registration.phone == "+33639980005"

"""A waiting list has a cap (issue 12, section 5): the coordinator's, else the session's
capacity. Past it a registration gets a French message and nothing is stored or sent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from relais.bookings.consent import CURRENT_CONSENT_VERSION
from relais.bookings.enums import RegistrationStatus
from relais.bookings.models import Message, Registration
from relais.workshops.models import WorkshopSession

from ..helpers import page_text, run_together
from ..workshops.factories import RegistrationFactory, WorkshopSessionFactory

pytestmark = pytest.mark.django_db


def _register(client, session, index: int):
    return client.post(
        reverse("bookings:register", kwargs={"pk": session.pk}),
        {
            "first_name": "Personne",
            "last_name": f"Numéro {index}",
            "email": f"personne{index}@exemple.test",
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
    )


def test_by_default_as_many_people_wait_as_there_are_seats(client, sms_outbox):
    session = WorkshopSessionFactory(capacity=2)
    for index in range(4):
        assert _register(client, session, index).status_code == 302
    assert session.registrations.confirmed().count() == 2
    assert session.registrations.waiting().count() == 2
    registrations, messages = Registration.objects.count(), Message.objects.count()
    outbox = len(mail.outbox)

    response = _register(client, session, 5)

    assert response.status_code == 200
    text = page_text(response)
    assert "Cette séance est complète et sa liste d'attente aussi" in text
    assert "votre inscription n'a pas été enregistrée" in text
    assert (Registration.objects.count(), Message.objects.count()) == (registrations, messages)
    assert len(mail.outbox) == outbox and sms_outbox == []
    assert client.get(reverse("bookings:register", kwargs={"pk": session.pk})).context[
        "waiting_list_full"
    ]


def test_the_cap_set_by_the_coordinator_applies(client):
    session = WorkshopSessionFactory(capacity=1, waiting_list_cap=3)
    for index in range(4):
        assert _register(client, session, index).status_code == 302
    assert session.registrations.waiting().count() == 3
    assert _register(client, session, 9).status_code == 200
    assert session.registrations.count() == 4


def test_no_waiting_list_at_all(client):
    session = WorkshopSessionFactory(capacity=1, waiting_list_cap=0)
    RegistrationFactory(session=session)
    response = _register(client, session, 1)
    assert "complète et n'a pas de liste d'attente" in page_text(response)
    assert session.registrations.count() == 1


def test_the_public_page_of_a_session_whose_list_is_full_offers_other_dates(client):
    session = WorkshopSessionFactory(capacity=1, waiting_list_cap=1)
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=RegistrationStatus.WAITING, confirmed_at=None)
    later = WorkshopSessionFactory(
        topic=session.topic, place=session.place, starts_at=session.starts_at + timedelta(days=7)
    )
    response = client.get(reverse("bookings:register", kwargs={"pk": session.pk}))
    text = page_text(response)
    assert "Séance complète" in text and "sa liste d'attente aussi" in text
    assert 'name="first_name"' not in response.content.decode()  # no form to fill in vain
    assert reverse("bookings:register", kwargs={"pk": later.pk}) in response.content.decode()
    topic_page = client.get(session.topic.get_absolute_url())
    assert "liste d'attente complète" in page_text(topic_page)


def test_staff_cannot_go_past_the_cap_either(advisor_client):
    session = WorkshopSessionFactory(capacity=1, waiting_list_cap=0)
    RegistrationFactory(session=session)
    response = advisor_client.post(
        reverse("bookings:staff_register", kwargs={"pk": session.pk}),
        {
            "first_name": "Personne",
            "last_name": "Au guichet",
            "email": "guichet@exemple.test",
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
    )
    assert "n'a pas de liste d'attente" in page_text(response)
    assert session.registrations.count() == 1


def test_the_coordinator_sets_the_cap_on_the_session_form(coordinator_client):
    session = WorkshopSessionFactory(capacity=6)
    page = coordinator_client.get(reverse("bookings:session_edit", kwargs={"pk": session.pk}))
    assert "Places sur la liste d'attente" in page_text(page)
    form = page.context["form"]
    data = {
        name: form.initial.get(name, form.fields[name].initial)
        for name in form.fields
        if name != "advisors"
    }
    data.update(
        topic=session.topic.pk,
        place=session.place.pk,
        day=data["day"].isoformat(),
        start_time=data["start_time"].strftime("%H:%M"),
        waiting_list_cap=2,
    )
    response = coordinator_client.post(
        reverse("bookings:session_edit", kwargs={"pk": session.pk}), data
    )
    assert response.status_code == 302, page_text(response)[:2000]
    session.refresh_from_db()
    assert (session.waiting_list_cap, session.waiting_list_size) == (2, 2)
    data["waiting_list_cap"] = 101
    response = coordinator_client.post(
        reverse("bookings:session_edit", kwargs={"pk": session.pk}), data
    )
    assert "inférieure ou égale à 100" in page_text(response)
    assert WorkshopSession.objects.get(pk=session.pk).waiting_list_cap == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overfill_the_waiting_list():
    """The cap is checked under the session's row lock, like the last seat."""
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL row locks (set DATABASE_URL=postgres://…, as CI does).")
    session = WorkshopSessionFactory(capacity=1, waiting_list_cap=2)
    RegistrationFactory(session=session)  # full: two places left on the list
    concurrent = 8

    def register(index: int) -> int:
        client = Client(REMOTE_ADDR=f"192.0.2.{index + 1}")
        return _register(client, session, index).status_code

    statuses, errors = run_together(register, [(i,) for i in range(concurrent)])
    assert errors == []
    assert sorted(statuses) == [200] * (concurrent - 2) + [302] * 2
    assert session.registrations.waiting().count() == 2

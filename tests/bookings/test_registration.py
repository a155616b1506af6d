"""Public registration without an account: validation, consent, messages, waiting list, link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from relais.bookings.consent import CURRENT_CONSENT_VERSION
from relais.bookings.enums import MessageChannel, MessageKind, MessageStatus, RegistrationStatus
from relais.bookings.models import Message, Registration
from relais.bookings.services import registration_cancel, registration_create
from relais.bookings.validators import normalise_phone
from relais.workshops.enums import TopicStatus

from ..helpers import page_text
from ..workshops.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Camille",
    "last_name": "Exemple",
    "phone": "06 39 98 00 01",
    "email": "camille.exemple@exemple.test",
    "consent": "on",
    "consent_version": str(CURRENT_CONSENT_VERSION),
}


def _post(client, session, commit, **changes):
    data = {**VALID, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    with commit():
        return client.post(reverse("bookings:register", kwargs={"pk": session.pk}), data)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33 (0)6 12 34 56 78", "+33612345678"),
        ("0033 4 68 00 00 00", "+33468000000"),
    ],
)
def test_french_phone_formats_are_accepted_and_normalised(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["12345", "06 12 34 56", "06 12 34 56 7a", "NaN", "-1", "1e309", "06 12 34 56 7٨"]
)
def test_other_phone_numbers_are_refused_in_french(typed):
    with pytest.raises(ValidationError, match="numéro de téléphone n'est pas valide"):
        normalise_phone(typed)


def test_registration_books_a_seat_stores_the_consent_version_and_emails_an_ics(
    client, session, commit
):
    response = _post(client, session, commit)
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.consent_version == CURRENT_CONSENT_VERSION
    assert registration.consent_at is not None
    assert registration.phone == "+33639980001"
    assert response.status_code == 302
    assert response["Location"].startswith(registration.get_manage_url())

    page = client.get(response["Location"])
    assert "Inscription confirmée" in page_text(page)
    assert page["Referrer-Policy"] == "same-origin"  # the secret link never leaves the site

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["camille.exemple@exemple.test"]
    assert "Votre inscription à l'atelier" in email.subject
    assert registration.get_manage_url() in email.body
    assert "&#x27;" not in email.body  # plain text: no HTML escaping
    (filename, content, mimetype) = email.attachments[0]
    assert filename == "atelier.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at
    message = Message.objects.get()
    assert (message.kind, message.channel, message.status) == (
        MessageKind.CONFIRMATION,
        MessageChannel.EMAIL,
        MessageStatus.SENT,
    )
    assert message.sent_at is not None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"phone": "", "email": ""}, "Indiquez au moins un moyen de vous joindre"),
        ({"phone": "123", "email": ""}, "numéro de téléphone n'est pas valide"),
        ({"email": "pas-une-adresse"}, "adresse e-mail n'est pas valide"),
        ({"first_name": ""}, "Ce champ est obligatoire"),
        ({"consent": None}, "Votre accord est nécessaire"),
        ({"consent_version": "0"}, "Le texte d'information a changé"),
    ],
)
def test_bad_or_missing_contact_shows_a_french_message_and_books_nothing(
    client, session, commit, changes, expected
):
    response = _post(client, session, commit, **changes)
    assert response.status_code == 200
    assert expected in page_text(response)
    assert not Registration.objects.exists()
    assert not Message.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_a_registration_without_any_contact(session):
    with pytest.raises(ValidationError) as error:
        registration_create(
            session=session, first_name="Camille", last_name="Exemple", consent=True
        )
    assert "Indiquez au moins un moyen de vous joindre" in str(error.value)
    assert not Registration.objects.exists()


def test_phone_only_registration_is_confirmed_by_sms(client, session, commit, sms_outbox):
    _post(client, session, commit, email="")
    registration = Registration.objects.get()
    assert mail.outbox == []
    assert [s.to for s in sms_outbox] == ["+33639980001"]
    assert registration.get_manage_url() in sms_outbox[0].text
    assert Message.objects.get().channel == MessageChannel.SMS


def test_the_same_person_cannot_take_two_seats(client, session, commit):
    _post(client, session, commit)
    response = _post(client, session, commit, phone="")
    assert "Une inscription à cette séance existe déjà" in page_text(response)
    assert Registration.objects.count() == 1


def test_a_full_session_puts_people_on_the_waiting_list(client, session, commit):
    RegistrationFactory.create_batch(session.capacity, session=session)
    page = client.get(reverse("bookings:register", kwargs={"pk": session.pk}))
    assert "Cette séance est complète" in page_text(page)
    response = _post(client, session, commit)
    registration = Registration.objects.get(email=VALID["email"])
    assert registration.status == RegistrationStatus.WAITING
    page = client.get(response["Location"])
    assert "Vous êtes sur la liste d'attente" in page_text(page)
    assert "en position 1" in page_text(page)
    assert "Liste d'attente" in mail.outbox[0].subject
    assert mail.outbox[0].attachments == []


def test_cancelling_through_the_link_frees_the_seat_for_the_first_person_waiting(
    client, session, commit, sms_outbox
):
    session.capacity = 2
    session.save()
    seated = RegistrationFactory(session=session, email="assise@exemple.test")
    RegistrationFactory(session=session)
    first = RegistrationFactory(
        session=session, status=RegistrationStatus.WAITING, email="", phone="+33639980002"
    )
    second = RegistrationFactory(session=session, status=RegistrationStatus.WAITING)
    url = seated.get_manage_url()
    # Opening the link (e.g. a mail client's preview) cancels nothing.
    assert "Annuler mon inscription" in page_text(client.get(url))
    seated.refresh_from_db()
    assert seated.status == RegistrationStatus.CONFIRMED

    with commit():
        response = client.post(url)
    assert response.status_code == 302
    seated.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert seated.status == RegistrationStatus.CANCELLED
    assert first.status == RegistrationStatus.CONFIRMED and first.promoted_at is not None
    assert second.status == RegistrationStatus.WAITING
    # The promoted person gave only a phone: told by SMS; the cancelling one gets a receipt.
    assert len(sms_outbox) == 1 and "place s'est libérée" in sms_outbox[0].text
    assert [m.subject for m in mail.outbox] == [
        f"Annulation de votre inscription : atelier « {session.topic.title} »"
    ]
    assert "Inscription annulée" in page_text(client.get(url))
    # Cancelling twice changes nothing and promotes nobody else.
    with commit():
        registration_cancel(registration=seated)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.WAITING


def test_a_promotion_email_carries_the_calendar_file(session, commit):
    session.capacity = 1
    session.save()
    seated = RegistrationFactory(session=session)
    RegistrationFactory(session=session, status=RegistrationStatus.WAITING)
    with commit():
        registration_cancel(registration=seated)
    promotion = next(m for m in mail.outbox if "place s'est libérée" in m.subject)
    assert promotion.attachments[0][0] == "atelier.ics"


@pytest.mark.parametrize("bad", ["wrong-token", ""])
def test_a_wrong_or_malformed_link_is_a_404(client, session, bad):
    registration = RegistrationFactory(session=session)
    assert client.get(f"/inscriptions/{registration.public_id}/{bad or 'x'}/").status_code == 404
    assert client.get(f"/inscriptions/pas-un-uuid/{registration.token}/").status_code == 404
    assert client.post(f"/inscriptions/{registration.public_id}/{bad or 'x'}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_the_link_survives_a_secret_key_rotation(client, session, settings):
    registration = RegistrationFactory(session=session)
    url = registration.get_manage_url()
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test"
    assert client.get(url).status_code == 200


def test_registrations_close_when_the_session_started_was_cancelled_or_unpublished(client, session):
    url = reverse("bookings:register", kwargs={"pk": session.pk})
    session.starts_at = timezone.now() - timedelta(minutes=5)
    session.save()
    assert "Inscriptions closes" in page_text(client.get(url))
    with pytest.raises(ValidationError, match="closes"):
        registration_create(
            session=session, first_name="A", last_name="B", email="a@exemple.test", consent=True
        )
    session.topic.status = TopicStatus.DRAFT
    session.topic.save()
    assert client.get(url).status_code == 404


def test_a_staff_member_registers_someone_who_calls(advisor_client, advisor_user, session, commit):
    url = reverse("bookings:staff_register", kwargs={"pk": session.pk})
    assert advisor_client.get(url).status_code == 200
    with commit():
        response = advisor_client.post(url, {**VALID, "email": ""})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.source == "staff"
    assert registration.registered_by == advisor_user
    assert registration.consent_version == CURRENT_CONSENT_VERSION
    roster = advisor_client.get(reverse("bookings:roster", kwargs={"pk": session.pk}))
    assert "06 39 98 00 01" in page_text(roster)


def test_the_consent_text_of_each_version_stays_readable(client):
    response = client.get(reverse("bookings:consent", kwargs={"version": 1}))
    assert "trois mois après la séance" in page_text(response)
    assert client.get(reverse("bookings:consent", kwargs={"version": 99})).status_code == 404

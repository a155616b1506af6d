"""Per-place appointment rules (« Réglages des rendez-vous »): each override (notice, horizon,
walk-in share, online booking stopped) in the availability and the booking service, the
service's validation, the staff page for each role, the public page stating the rules."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from relais.appointments import availability
from relais.appointments.availability import openings
from relais.appointments.consent import CURRENT_APPOINTMENT_CONSENT_VERSION
from relais.appointments.models import Appointment, PlaceAppointmentSettings
from relais.appointments.services import (
    place_appointment_settings_update,
)
from relais.bookings.models import Message
from relais.places.models import Place

from ..helpers import page_text
from .appointment_helpers import (
    TUESDAY,
    advisor,
    at,
    book,
    booked,
    covered_place,
    permanence,
    post_booking,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def department_defaults(settings):
    settings.RELAIS_APPOINTMENT_MIN_NOTICE_HOURS = 24
    settings.RELAIS_APPOINTMENT_HORIZON_DAYS = 30
    settings.RELAIS_APPOINTMENT_WALK_IN_SHARE = 0.5


def _override(place, **values) -> Place:
    """Give ``place`` its own rules and return it fresh (no cached absence of settings)."""
    PlaceAppointmentSettings.objects.create(place=place, **values)
    return Place.objects.get(pk=place.pk)


def _days(found) -> set:
    return {timezone.localtime(o.start).date() for o in found}


# --- Availability ---------------------------------------------------------------------------------


def test_without_override_the_department_settings_apply(setting):
    place, *_ = setting
    rules = availability.place_rules(place)
    assert (rules.enabled, rules.min_notice_hours, rules.horizon_days) == (True, 24, 30)
    assert rules.walk_in_share == 0.5 and rules.walk_in_percent == 50
    # An override with empty values changes nothing but what it sets.
    place = _override(place, min_notice_hours=48)
    rules = availability.place_rules(place)
    assert (rules.min_notice_hours, rules.horizon_days, rules.walk_in_percent) == (48, 30, 50)
    now = timezone.now()
    assert availability.window(now, place) == (now + timedelta(hours=48), now + timedelta(days=30))
    assert availability.window(now) == (now + timedelta(hours=24), now + timedelta(days=30))


def test_a_place_notice_override(setting):
    place, _, kind, _, day = setting
    other = covered_place(name="Bibliothèque de Catllar", slug="catllar", commune="Catllar")
    permanence(other, [advisor()], weekday=TUESDAY)
    now = at(day, "10:00") - timedelta(hours=30)
    # 24 h (the département): that Tuesday from 09:00 on is offered at both places.
    assert openings(place, kind, now=now, start=day, end=day)[0].start == at(day, "09:00")
    place = _override(place, min_notice_hours=48)
    assert openings(place, kind, now=now, start=day, end=day) == []
    assert day + timedelta(days=7) in _days(openings(place, kind, now=now))
    # The other place keeps the département's notice.
    assert openings(other, kind, now=now, start=day, end=day)[0].start == at(day, "09:00")


def test_a_place_horizon_override(setting):
    place, _, kind, _, day = setting
    now = at(day, "08:00") - timedelta(days=2)
    assert day + timedelta(days=21) in _days(openings(place, kind, now=now))
    place = _override(place, horizon_days=7)
    days = _days(openings(place, kind, now=now))
    assert day in days and day + timedelta(days=7) not in days
    assert all(d <= (now + timedelta(days=7)).date() for d in days)


def test_a_place_walk_in_share_override(setting):
    place, lea, kind, slot, day = setting
    now = at(day, "08:00") - timedelta(days=2)
    booked(place, kind, lea, at(day, "09:00"), slot=slot)
    booked(place, kind, lea, at(day, "09:45"), slot=slot)
    # 50 %: 90 of the 180 minutes may be booked, and they are.
    assert openings(place, kind, now=now, start=day, end=day) == []
    # 0 %: the whole permanence may be booked: 10:30 onwards is free.
    no_walk_in = _override(place, walk_in_percent=0)
    found = openings(no_walk_in, kind, now=now, start=day, end=day)
    assert found and found[0].start == at(day, "10:30")
    # 100 %: the whole permanence is kept for walk-ins, even on a free day.
    PlaceAppointmentSettings.objects.filter(place=place).update(walk_in_percent=100)
    all_walk_in = Place.objects.get(pk=place.pk)
    assert availability.walk_in_share(all_walk_in) == 1.0
    assert openings(all_walk_in, kind, now=now) == []


def test_a_place_that_stopped_online_booking_offers_nothing(
    client, setting, advisor_client, commit
):
    place, lea, kind, slot, day = setting
    kept = booked(place, kind, lea, at(day, "09:00"), slot=slot, first_name="Dominique")
    place = _override(place, appointments_enabled=False)
    assert not availability.appointments_enabled(place)
    assert openings(place, kind) == []
    page = client.get(reverse("appointments:book", kwargs={"place_slug": place.slug}))
    text = page_text(page)
    assert "Ce lieu ne propose pas de rendez-vous en ligne pour le moment." in text
    assert "debut=" not in page.content.decode() and "Aide aux démarches" not in text
    # The form page sends back to the booking page; a forged POST books nothing.
    form_url = reverse("appointments:form", kwargs={"place_slug": place.slug})
    start = at(day, "10:30").strftime("%Y-%m-%dT%H:%M")
    response = client.get(form_url, {"type": kind.pk, "debut": start})
    assert response.status_code == 302
    with commit():
        response = client.post(
            form_url,
            {
                "type": kind.pk,
                "debut": start,
                "first_name": "Camille",
                "last_name": "Exemple",
                "email": "camille.exemple@exemple.test",
                "consent": "on",
                "consent_version": CURRENT_APPOINTMENT_CONSENT_VERSION,
            },
        )
    assert response.status_code == 302
    assert list(Appointment.objects.all()) == [kept] and mail.outbox == []
    with pytest.raises(ValidationError) as refused:
        book(place, kind, at(day, "10:30"))
    assert refused.value.code == "disabled"
    # Staff still see the place's appointments, with the suspension stated.
    staff = advisor_client.get(reverse("appointments:list", kwargs={"place_slug": place.slug}))
    assert "Dominique" in page_text(staff)
    assert "prise de rendez-vous en ligne est suspendue" in page_text(staff)


# --- Booking outside the place's window -----------------------------------------------------------


def test_a_forged_booking_outside_the_place_window_is_refused_and_nothing_written(
    client, setting, commit
):
    place, _, kind, _, day = setting
    # The Tuesday is 3 to 9 days ahead: within 30 days and 24 h, but not 10 days (240 h) away.
    place = _override(place, min_notice_hours=240, horizon_days=60)
    with commit():
        response = post_booking(client, place, kind, at(day, "10:00"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Ce créneau est trop proche" in text and "au plus tard 240 h à l'avance" in text
    assert "Choisir un autre créneau" in text
    # And too far: a horizon of 1 day.
    PlaceAppointmentSettings.objects.filter(place=place).update(
        min_notice_hours=None, horizon_days=1
    )
    with commit():
        response = post_booking(client, place, kind, at(day, "10:00"))
    assert "Ce créneau est trop lointain" in page_text(response)
    assert "jusqu'à 1 jour à l'avance" in page_text(response)
    # The GET of the form says so too, before anyone types their name.
    response = client.get(
        reverse("appointments:form", kwargs={"place_slug": place.slug}),
        {"type": kind.pk, "debut": at(day, "10:00").strftime("%Y-%m-%dT%H:%M")},
    )
    assert "Ce créneau est trop lointain" in page_text(response)
    assert "Choisir un autre créneau" in page_text(response)
    assert not Appointment.objects.exists()
    assert not Message.objects.exists() and mail.outbox == []


def test_the_form_page_of_a_time_not_offered_says_so(client, setting):
    place, _, kind, _, day = setting
    url = reverse("appointments:form", kwargs={"place_slug": place.slug})
    response = client.get(url, {"type": kind.pk, "debut": f"{day:%Y-%m-%d}T10:05"})
    assert response.status_code == 200
    assert "Ce créneau vient d'être pris" in page_text(response)
    response = client.get(url, {"type": kind.pk, "debut": f"{day:%Y-%m-%d}T10:00"})
    assert "Confirmer mon rendez-vous" in page_text(response)


def test_the_booking_service_applies_the_place_rules(setting):
    place, _, kind, _, day = setting
    place = _override(place, min_notice_hours=48)
    now = at(day, "10:00") - timedelta(hours=30)
    with pytest.raises(ValidationError) as refused:
        book(place, kind, at(day, "10:00"), now=now)
    assert refused.value.code == "window"
    assert "au plus tard 48 h à l'avance" in refused.value.messages[0]
    assert not Appointment.objects.exists()
    # 49 h ahead is fine.
    appointment = book(place, kind, at(day, "10:00"), now=at(day, "10:00") - timedelta(hours=49))
    assert appointment.place == place


# --- The service ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "expected"),
    [
        ({"min_notice_hours": 721}, "min_notice_hours", "entre 0 et 720 heures"),
        ({"min_notice_hours": -1}, "min_notice_hours", "entre 0 et 720 heures"),
        ({"horizon_days": 0}, "horizon_days", "entre 1 et 365 jours"),
        ({"horizon_days": 366}, "horizon_days", "entre 1 et 365 jours"),
        ({"walk_in_percent": 101}, "walk_in_percent", "pourcentage compris entre 0 et 100"),
        (
            {"min_notice_hours": 48, "horizon_days": 2},
            "min_notice_hours",
            "aucun créneau ne serait proposé",
        ),
        # 24 h of notice (the département) and one day of horizon: nothing could be booked.
        (
            {"min_notice_hours": None, "horizon_days": 1},
            "horizon_days",
            "aucun créneau ne serait proposé",
        ),
    ],
)
def test_the_service_refuses_bad_values_in_french_and_changes_nothing(
    place, coordinator, values, field, expected
):
    PlaceAppointmentSettings.objects.create(place=place, min_notice_hours=12)
    with pytest.raises(ValidationError) as refused:
        place_appointment_settings_update(place=place, user=coordinator, **values)
    assert expected in " ".join(refused.value.message_dict[field])
    stored = PlaceAppointmentSettings.objects.get(place=place)
    assert (stored.min_notice_hours, stored.horizon_days, stored.walk_in_percent) == (
        12,
        None,
        None,
    )
    assert stored.appointments_enabled


def test_the_service_creates_updates_and_resets_to_the_department_value(
    place, other_place, coordinator, partner_staff, advisor_user
):
    assert not PlaceAppointmentSettings.objects.exists()
    saved = place_appointment_settings_update(
        place=place, user=partner_staff, min_notice_hours=48, walk_in_percent=0
    )
    assert (saved.min_notice_hours, saved.horizon_days, saved.walk_in_percent) == (48, None, 0)
    assert availability.place_rules(place).min_notice_hours == 48  # the place's cache follows
    place_appointment_settings_update(place=place, user=coordinator, min_notice_hours=None)
    stored = PlaceAppointmentSettings.objects.get()
    assert (stored.min_notice_hours, stored.walk_in_percent) == (None, 0)
    assert availability.place_rules(Place.objects.get(pk=place.pk)).min_notice_hours == 24
    # Advisers, and partner staff for another partner's place, may not.
    for user, target in ((advisor_user, place), (partner_staff, other_place)):
        with pytest.raises(PermissionDenied):
            place_appointment_settings_update(place=target, user=user, horizon_days=10)
    with pytest.raises(TypeError):
        place_appointment_settings_update(place=place, user=coordinator, grid_minutes=5)
    assert PlaceAppointmentSettings.objects.count() == 1


# --- The staff page -------------------------------------------------------------------------------


def _settings_url(place) -> str:
    return reverse("appointments:settings", kwargs={"place_slug": place.slug})


VALID = {
    "appointments_enabled": "on",
    "min_notice_hours": "48",
    "horizon_days": "",
    "walk_in_percent": "30",
}


def test_coordinators_set_a_place_rules_and_go_back_to_its_appointments(place, coordinator_client):
    url = _settings_url(place)
    assert url == f"/rendez-vous/gestion/lieux/{place.slug}/reglages/"
    page = page_text(coordinator_client.get(url))
    assert "Réglages des rendez-vous" in page
    assert "Laisser vide pour la valeur départementale (24 h)." in page
    assert "Laisser vide pour la valeur départementale (30 jours)." in page
    assert "Laisser vide pour la valeur départementale (50 %)." in page
    response = coordinator_client.post(url, VALID, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "appointments:list", kwargs={"place_slug": place.slug}
    )
    text = page_text(response)
    assert f"Les réglages des rendez-vous de « {place.name} » sont enregistrés." in text
    assert "Réservation au plus tard 48 h à l'avance, jusqu'à 30 jours." in text
    stored = PlaceAppointmentSettings.objects.get(place=place)
    assert (stored.min_notice_hours, stored.horizon_days, stored.walk_in_percent) == (48, None, 30)
    # Unchecking stops online booking.
    coordinator_client.post(url, {**VALID, "appointments_enabled": ""})
    stored.refresh_from_db()
    assert not stored.appointments_enabled


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"min_notice_hours": "1000"}, "entre 0 et 720 heures"),
        ({"walk_in_percent": "-5"}, "pourcentage compris entre 0 et 100"),
        ({"horizon_days": "0"}, "entre 1 et 365 jours"),
        ({"horizon_days": "deux"}, "Saisissez un nombre entier."),
        ({"min_notice_hours": "72", "horizon_days": "3"}, "aucun créneau ne serait proposé"),
    ],
)
def test_invalid_input_re_renders_with_french_errors_and_changes_nothing(
    place, coordinator_client, data, expected
):
    response = coordinator_client.post(_settings_url(place), {**VALID, **data})
    assert response.status_code == 200
    assert expected in page_text(response)
    assert not PlaceAppointmentSettings.objects.exists()


def test_partner_staff_set_their_own_places_only(
    place, other_place, partner_client, advisor_client, committee_client, client
):
    url = _settings_url(place)
    # The way in: a link on their place's page (they cannot open the appointments pages).
    detail = partner_client.get(place.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail
    assert partner_client.get(url).status_code == 200
    response = partner_client.post(url, VALID)
    assert response.status_code == 302 and response["Location"] == url
    assert PlaceAppointmentSettings.objects.get(place=place).min_notice_hours == 48
    # Another partner's place, advisers, committee members: no.
    assert partner_client.get(_settings_url(other_place)).status_code == 403
    assert partner_client.post(_settings_url(other_place), VALID).status_code == 403
    for denied in (advisor_client, committee_client):
        assert denied.get(url).status_code == 403
        assert denied.post(url, {**VALID, "min_notice_hours": "5"}).status_code == 403
    assert f'href="{url}"' not in advisor_client.get(place.get_absolute_url()).content.decode()
    assert PlaceAppointmentSettings.objects.get(place=place).min_notice_hours == 48
    # Anonymous visitors: to the login page.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert partner_client.get(reverse("appointments:places")).status_code == 403


def test_the_staff_lists_link_to_the_settings_for_those_allowed(
    place, coordinator_client, advisor_client
):
    url = _settings_url(place)
    for page in (
        reverse("appointments:places"),
        reverse("appointments:list", kwargs={"place_slug": place.slug}),
    ):
        assert f'href="{url}"' in coordinator_client.get(page).content.decode()
        assert f'href="{url}"' not in advisor_client.get(page).content.decode()


# --- The public page ------------------------------------------------------------------------------


def test_the_public_page_states_the_place_rules(client, setting):
    place, *_ = setting
    url = reverse("appointments:book", kwargs={"place_slug": place.slug})
    text = page_text(client.get(url))
    assert "Réservation au plus tard 24 h à l'avance, jusqu'à 30 jours." in text
    assert "une partie de chaque permanence (50 %) reste ouverte sans rendez-vous" in text
    _override(place, min_notice_hours=48, horizon_days=21, walk_in_percent=0)
    text = page_text(client.get(url))
    assert "Réservation au plus tard 48 h à l'avance, jusqu'à 21 jours." in text
    assert "reste ouverte sans rendez-vous" not in text
    PlaceAppointmentSettings.objects.filter(place=place).update(min_notice_hours=0)
    text = page_text(client.get(url))
    assert "Réservation sans délai minimal, jusqu'à 21 jours à l'avance." in text

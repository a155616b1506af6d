"""The one read model of an adviser's time (relais.team.busy, sources in
relais.bookings.busy_sources): each source, the rules (frame, closure, travel), and what its
callers do with it — appointment availability and booking, workshop scheduling, leave, the
planning checks, the iCal feed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils.timezone import localtime
from icalendar import Calendar

from relais.appointments.availability import openings
from relais.bookings.services import session_update
from relais.committee.models import CommitteeMember, Meeting
from relais.planning import services as planning_services
from relais.planning.checks import planning_findings
from relais.planning.travel import clear_cache
from relais.public.feeds import advisor_calendar
from relais.team import busy as busy_module
from relais.team.busy import Busy, busy_intervals, clashes
from relais.team.enums import BusyKind, HalfDay, LeaveKind
from relais.team.queries import leave_impacts, leave_impacts_message
from relais.team.services import leave_create
from relais.workshops.enums import SessionStatus
from relais.workshops.services import session_create

from ..appointments.appointment_helpers import (
    advisor,
    appointment_type,
    at,
    book,
    booked,
    covered_place,
    next_day,
    permanence,
)
from ..workshops.factories import WorkshopSessionFactory, WorkshopTopicFactory

pytestmark = pytest.mark.django_db

TUESDAY = 1


@pytest.fixture
def prades():
    """The reported case: a permanence at Prades on Tuesdays 14:00–16:45, one adviser."""
    place = covered_place()
    adviser = advisor()
    slot = permanence(place, [adviser], weekday=TUESDAY, start="14:00", end="16:45")
    return place, adviser, slot, next_day(TUESDAY)


def vinca(place):
    """Another place, about 9 km from Prades (≈ 16 min by the estimate)."""
    other = covered_place(name="Médiathèque de Vinça", slug="vinca", commune="Vinça")
    place.commune.latitude, place.commune.longitude = Decimal("42.6172"), Decimal("2.4223")
    place.commune.save()
    other.commune.latitude, other.commune.longitude = Decimal("42.6442"), Decimal("2.5281")
    other.commune.save()
    clear_cache()
    return other


def workshop(place, adviser, starts_at, minutes=120, **fields):
    session = WorkshopSessionFactory(
        topic=WorkshopTopicFactory(title="Mon smartphone au quotidien"),
        place=place,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        **fields,
    )
    session.advisors.set([adviser])
    return session


def kinds(found):
    return [(b.kind, f"{localtime(b.start):%H:%M}", f"{localtime(b.end):%H:%M}") for b in found]


# --- Each source ------------------------------------------------------------------------------


def test_permanences_where_the_adviser_is_present(prades):
    place, adviser, _, day = prades
    found = busy_intervals([adviser], day, day, kinds=[BusyKind.PERMANENCE])
    assert kinds(found) == [("permanence", "14:00", "16:45")]
    assert found[0].place_id == place.pk
    assert found[0].label == "Permanence à la Médiathèque de Prades"
    leave_create(advisor=adviser, kind=LeaveKind.PAID, start_date=day, end_date=day)
    assert busy_intervals([adviser], day, day, kinds=[BusyKind.PERMANENCE]) == []


def test_workshops_they_run_but_not_cancelled_ones(prades):
    place, adviser, _, day = prades
    session = workshop(place, adviser, at(day, "14:00"))
    found = busy_intervals([adviser], day, day, kinds=[BusyKind.WORKSHOP])
    assert kinds(found) == [("workshop", "14:00", "16:00")]
    assert found[0].ref == ("workshop", session.pk)
    assert "Mon smartphone au quotidien" in found[0].label
    assert busy_intervals([advisor()], day, day, kinds=[BusyKind.WORKSHOP]) == []
    session.status = SessionStatus.CANCELLED
    session.save()
    assert busy_intervals([adviser], day, day, kinds=[BusyKind.WORKSHOP]) == []


def test_appointments_that_hold_the_time_without_the_residents_name(prades):
    place, adviser, slot, day = prades
    kind = appointment_type()
    booked(place, kind, adviser, at(day, "15:00"), slot=slot, last_name="Secret")
    booked(place, kind, adviser, at(day, "14:00"), slot=slot, status="cancelled")
    found = busy_intervals([adviser], day, day, kinds=[BusyKind.APPOINTMENT])
    assert kinds(found) == [("appointment", "15:00", "15:45")]
    assert "Secret" not in found[0].describe()


def test_leave_to_the_half_day_without_its_kind(prades):
    _, adviser, _, day = prades
    leave_create(
        advisor=adviser,
        kind=LeaveKind.SICK,
        start_date=day,
        end_date=day,
        start_half=HalfDay.AFTERNOON,
    )
    found = busy_intervals([adviser], day, day, kinds=[BusyKind.LEAVE])
    assert [(b.start, b.end) for b in found] == [
        (at(day, "13:00"), at(day + timedelta(1), "00:00"))
    ]
    assert "maladie" not in found[0].describe().lower()


def test_closures_of_their_places_and_of_the_place_asked(prades):
    place, adviser, _, day = prades
    planning_services.closure_create(place=place, start_date=day, end_date=day, reason="Travaux")
    found = busy_intervals([adviser], day, day, kinds=[BusyKind.CLOSURE])
    assert [(b.kind, b.advisor_id, b.place_id) for b in found] == [("closure", None, place.pk)]
    assert busy_intervals([], day, day, places=[place], kinds=[BusyKind.CLOSURE])


def test_committee_meetings_of_an_adviser_who_sits_on_the_committee(prades, department):
    _, adviser, _, day = prades
    Meeting.objects.create(date=day, start_time=at(day, "10:00").time(), agenda="Bilan")
    assert busy_intervals([adviser], day, day, kinds=[BusyKind.MEETING]) == []
    CommitteeMember.objects.create(
        category="department",
        full_name=str(adviser),
        organisation=department,
        email=adviser.user.email.upper(),
        joined_on=day - timedelta(days=30),
    )
    found = busy_intervals([adviser], day, day, kinds=[BusyKind.MEETING])
    assert kinds(found) == [("meeting", "10:00", "12:00")]  # no end time: two hours


def test_travel_between_two_places_the_same_day(prades):
    place, adviser, _, day = prades
    other = vinca(place)
    workshop(other, adviser, at(day, "10:00"))
    found = busy_intervals([adviser], day, day)
    travel = [b for b in found if b.kind == BusyKind.TRAVEL]
    assert len(travel) == 1 and travel[0].start == at(day, "12:00")
    assert 10 <= (travel[0].end - travel[0].start).total_seconds() / 60 <= 25
    assert "Vinça → Prades" in travel[0].label


def test_no_registered_source_is_an_error_not_a_free_adviser(monkeypatch, prades):
    monkeypatch.setattr(busy_module, "_sources", {})
    with pytest.raises(ImproperlyConfigured):
        busy_intervals([prades[1]], prades[3], prades[3])


# --- The rules (pure) -------------------------------------------------------------------------


def test_a_permanence_frames_what_happens_at_its_place_and_blocks_elsewhere(prades):
    place, adviser, _, day = prades
    other = vinca(place)
    frame = Busy(
        kind=BusyKind.PERMANENCE,
        start=at(day, "14:00"),
        end=at(day, "16:45"),
        label="Permanence",
        advisor_id=adviser.pk,
        place_id=place.pk,
        commune=place.commune,
    )
    here = {"advisor_id": adviser.pk, "start": at(day, "14:30"), "end": at(day, "15:15")}
    assert clashes([frame], place=place, **here) == []
    assert clashes([frame], place=other, **here) == [frame]
    # Just after the permanence, at Vinça: the drive from Prades is not done yet.
    later = {"advisor_id": adviser.pk, "start": at(day, "16:50"), "end": at(day, "17:30")}
    assert clashes([frame], place=other, **later) == [frame]
    assert clashes([frame], place=place, **later) == []


# --- The callers ------------------------------------------------------------------------------


def test_the_reported_case_no_appointment_during_her_workshop(prades):
    """Prades 14:00–16:45 and her workshop there 14:00–16:00: only 16:00 is offered."""
    place, adviser, _, day = prades
    kind = appointment_type(minutes=45)
    before = [o.start for o in openings(place, kind, start=day, end=day)]
    assert at(day, "14:00") in before
    workshop(place, adviser, at(day, "14:00"))
    after = [o.start for o in openings(place, kind, start=day, end=day)]
    assert after == [at(day, "16:00")]
    with pytest.raises(ValidationError) as refused:
        book(
            place,
            kind,
            at(day, "14:30"),
            first_name="Ana",
            last_name="Test",
            email="ana@exemple.test",
        )
    assert refused.value.code == "taken"
    assert refused.value.messages == [
        "Ce créneau n'est pas disponible : le conseiller numérique anime un atelier à ce "
        "moment-là. Choisissez-en un autre."
    ]


def test_the_public_form_says_why_a_time_is_not_free(client, prades):
    place, adviser, _, day = prades
    kind = appointment_type(minutes=45)
    workshop(place, adviser, at(day, "14:00"))
    url = reverse("appointments:form", kwargs={"place_slug": place.slug})
    page = client.get(url, {"type": kind.pk, "debut": f"{day:%Y-%m-%d}T14:30"}).content.decode()
    assert "anime un atelier à ce moment-là" in page


def test_leave_meeting_and_a_permanence_elsewhere_also_remove_times(prades, department):
    place, adviser, _, day = prades
    kind = appointment_type(minutes=45)
    other = vinca(place)
    permanence(other, [adviser], weekday=TUESDAY, start="09:00", end="13:50")
    times = [o.start for o in openings(place, kind, start=day, end=day)]
    assert at(day, "14:00") not in times and at(day, "14:15") in times  # the drive (≈16 min)
    CommitteeMember.objects.create(
        category="department",
        full_name="X",
        organisation=department,
        email=adviser.user.email,
        joined_on=day - timedelta(days=1),
    )
    Meeting.objects.create(
        date=day, start_time=at(day, "15:00").time(), end_time=at(day, "16:00").time(), agenda="A"
    )
    times = [o.start for o in openings(place, kind, start=day, end=day)]
    assert at(day, "15:00") not in times and at(day, "16:00") in times
    leave_create(
        advisor=adviser, kind=LeaveKind.PAID, start_date=day, end_date=day, start_half="pm"
    )
    assert openings(place, kind, start=day, end=day) == []


def test_scheduling_a_workshop_over_an_appointment_is_refused_in_french(prades):
    place, adviser, slot, day = prades
    booked(place, appointment_type(), adviser, at(day, "15:00"), slot=slot)
    topic = WorkshopTopicFactory(duration_minutes=120)
    with pytest.raises(ValidationError) as refused:
        session_create(topic=topic, place=place, starts_at=at(day, "14:00"), advisors=[adviser])
    text = " ".join(refused.value.message_dict["advisors"])
    assert f"{adviser} n'est pas disponible : Rendez-vous « Aide aux démarches en ligne »" in text
    assert f"le {day:%d/%m/%Y} de 15 h à 15 h 45" in text.replace("\u00a0", " ")
    assert "Choisissez un autre horaire" in text
    # During her permanence at the same place, with nothing booked: allowed.
    session = session_create(
        topic=topic, place=place, starts_at=at(day, "09:00") + timedelta(days=7), advisors=[adviser]
    )
    with pytest.raises(ValidationError):  # moved onto the appointment: refused too
        session_update(session=session, starts_at=at(day, "14:30"), ends_at=at(day, "16:30"))


def test_a_workshop_elsewhere_during_a_permanence_or_a_leave_is_refused(prades):
    place, adviser, _, day = prades
    other = vinca(place)
    topic = WorkshopTopicFactory(duration_minutes=60)
    with pytest.raises(ValidationError, match="Permanence à la Médiathèque de Prades"):
        session_create(topic=topic, place=other, starts_at=at(day, "14:30"), advisors=[adviser])
    assert session_create(topic=topic, place=place, starts_at=at(day, "14:30"), advisors=[adviser])
    leave_create(advisor=adviser, kind=LeaveKind.PAID, start_date=day, end_date=day)
    with pytest.raises(ValidationError, match="Absence"):
        session_create(topic=topic, place=other, starts_at=at(day, "09:00"), advisors=[adviser])


def test_a_leave_lists_what_it_affects(prades, coordinator_client):
    place, adviser, slot, day = prades
    booked(place, appointment_type(), adviser, at(day, "15:00"), slot=slot)
    workshop(place, adviser, at(day, "10:00"))
    leave = leave_create(advisor=adviser, kind=LeaveKind.PAID, start_date=day, end_date=day)
    assert [b.kind for b in leave_impacts(leave)] == ["workshop", "appointment"]
    # The permanence is no longer held once she is away: the occurrence says so itself.
    assert "2 engagements" in leave_impacts_message(leave)
    leave.delete()
    response = coordinator_client.post(
        reverse("team:leave_create"),
        {
            "advisor": adviser.pk,
            "kind": LeaveKind.PAID,
            "start_date": day.isoformat(),
            "start_half": "am",
            "end_date": day.isoformat(),
            "end_half": "pm",
            "note": "",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Cette absence touche 2 engagements" in page
    assert "Atelier « Mon smartphone au quotidien » à la Médiathèque de Prades" in page


def test_planning_checks_see_a_workshop_elsewhere_during_a_permanence(prades):
    place, adviser, _, day = prades
    other = vinca(place)
    workshop(other, adviser, at(day, "13:00"), minutes=60)
    monday = day - timedelta(days=day.weekday())
    findings = [f for f in planning_findings(monday, monday + timedelta(days=6))]
    found = [f for f in findings if f.code == "commitment"]
    assert len(found) == 1 and found[0].is_error
    assert "Atelier « Mon smartphone au quotidien » à la Médiathèque de Vinça" in found[0].message
    workshop(place, adviser, at(day, "14:00"), minutes=60)  # at the permanence's place: fine
    findings = planning_findings(monday, monday + timedelta(days=6))
    assert len([f for f in findings if f.code == "commitment"]) == 1


def test_the_advisers_feed_has_appointments_and_leave(prades):
    place, adviser, slot, day = prades
    booked(place, appointment_type(), adviser, at(day, "15:00"), slot=slot, last_name="Secret")
    leave_create(
        advisor=adviser,
        kind=LeaveKind.SICK,
        start_date=day + timedelta(7),
        end_date=day + timedelta(7),
    )
    calendar = Calendar.from_ical(advisor_calendar(adviser))
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert "Rendez-vous « Aide aux démarches en ligne » à la Médiathèque de Prades" in summaries
    assert "Absence" in summaries
    assert any(s.startswith("Permanence") for s in summaries)
    body = advisor_calendar(adviser).decode()
    assert "Secret" not in body and "maladie" not in body.lower()


def test_my_week_shows_her_workshop_in_the_timeline(prades, client_for):
    from ..factories import TOTPDeviceFactory

    place, adviser, slot, day = prades
    TOTPDeviceFactory(user=adviser.user)
    workshop(place, adviser, at(day, "14:00"))
    booked(place, appointment_type(), adviser, at(day, "16:00"), slot=slot)
    page = client_for(adviser.user).get(reverse("planning:my_week")).content.decode()
    agenda = page[page.index("Mes deux prochaines semaines") :].replace("\u00a0", " ")
    assert agenda.index("14 h – 16 h 45 · Permanence") < agenda.index("14 h – 16 h · Atelier")
    assert agenda.index("14 h – 16 h · Atelier") < agenda.index("16 h – 16 h 45 · Rendez-vous")
    assert "Mon smartphone au quotidien" in agenda


def test_a_replacement_or_a_hand_over_never_picks_a_colleague_busy_elsewhere(prades):
    from relais.appointments.services import schedule_changes_apply
    from relais.planning.occurrences import find_occurrence, replacement_candidates

    place, adviser, slot, day = prades
    colleague = advisor(home_commune=place.commune)
    assert colleague in [c.advisor for c in replacement_candidates(find_occurrence(slot, day))]
    workshop(vinca(place), colleague, at(day, "15:00"), minutes=60)
    assert colleague not in [c.advisor for c in replacement_candidates(find_occurrence(slot, day))]
    # Léa's appointment, she goes on leave, her colleague replaces her that day but runs a
    # workshop at Vinça then: the appointment is cancelled, not handed over into the workshop.
    appointment = booked(place, appointment_type(), adviser, at(day, "15:00"), slot=slot)
    planning_services.occurrence_replace(
        slot=slot, day=day, advisors=[colleague], reason="Formation"
    )
    leave_create(advisor=adviser, kind=LeaveKind.TRAINING, start_date=day, end_date=day)
    report = schedule_changes_apply()
    appointment.refresh_from_db()
    assert (report.handed_over, report.cancelled) == (0, 1)
    assert appointment.advisor == adviser and appointment.status == "cancelled"


def test_the_session_form_shows_the_conflict_and_saves_nothing(prades, coordinator_client):
    place, adviser, slot, day = prades
    booked(place, appointment_type(), adviser, at(day, "15:00"), slot=slot)
    topic = WorkshopTopicFactory(title="Mes démarches en ligne", duration_minutes=120)
    response = coordinator_client.post(
        reverse("workshops:session_new"),
        {
            "topic": topic.pk,
            "place": place.pk,
            "day": day.isoformat(),
            "start_time": "14:00",
            "duration_minutes": "",
            "capacity": "",
            "waiting_list_cap": "",
            "advisors": [adviser.pk],
            "occurrences": 1,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "n&#x27;est pas disponible : Rendez-vous « Aide aux démarches en ligne »" in page
    assert not topic.sessions.exists()


def test_a_session_planned_before_the_rule_keeps_its_capacity_editable(prades):
    place, adviser, slot, day = prades
    booked(place, appointment_type(), adviser, at(day, "15:00"), slot=slot)
    session = workshop(place, adviser, at(day, "14:00"))  # written directly: the old overlap
    assert session_update(session=session, capacity=6).capacity == 6
    with pytest.raises(ValidationError):
        session_update(session=session, starts_at=at(day, "14:15"), ends_at=at(day, "16:15"))

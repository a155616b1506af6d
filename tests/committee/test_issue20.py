"""Issue 20 §5: meetings and actions validated, convocations that say what they do, minutes
and attendance sheet as PDF, the review of the current year linked in December, and the
review's headline figures recounted directly from the activities."""

import html
import re
from datetime import date, time, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from relais.activities.models import Activity
from relais.committee import services
from relais.committee.enums import MemberCategory
from relais.committee.models import ActionItem, Meeting
from relais.committee.review import annual_review, render_review_pdf
from relais.core.validators import PROGRAMME_START

from ..activities.factories import record_collective, record_individual
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import PlaceFactory
from ..monthly.helpers import sign_agreement

# The dates below are written out: the suite's instant is pinned (make test-dates moves it).
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-11-24T10:00")]
TODAY = date(2026, 11, 24)
HORIZON = date(2028, 11, 24)


def _text(response) -> str:
    page = response.content.decode().split("<main", 1)[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _pdf_pages(content: bytes, name: str = "") -> list[str]:
    import os

    if name and os.environ.get("PDF_DUMP_DIR"):
        with open(os.path.join(os.environ["PDF_DUMP_DIR"], name), "wb") as handle:
            handle.write(content)
    return [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(content)).pages]


def _member(coordinator, name, email=""):
    return services.member_create(
        user=coordinator,
        data={"category": MemberCategory.DEPARTMENT, "organisation": coordinator.organisation,
              "full_name": name, "function": "Chargée de mission", "email": email,
              "joined_on": date(2024, 1, 1)},
    )  # fmt: skip


# --- Meetings and actions -----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=date(1985, 1, 1), max_value=date(2035, 12, 31)))
def test_a_meeting_date_lies_between_the_programme_start_and_two_years_ahead(day):
    meeting = Meeting(date=day, agenda="Bilan")
    if PROGRAMME_START <= day <= HORIZON:
        meeting.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            meeting.full_clean()
        assert "date" in error.value.message_dict


def test_a_meeting_dated_1990_is_refused_in_french_and_not_written(coordinator_client):
    response = coordinator_client.post(
        reverse("committee:meeting_create"), {"date": "1990-05-01", "agenda": "Bilan"}
    )
    assert response.status_code == 200
    assert "avant le début du programme" in _text(response)
    assert not Meeting.objects.exists()


def test_two_meetings_the_same_day_are_refused(coordinator):
    services.meeting_create(user=coordinator, data={"date": date(2026, 6, 1), "agenda": "A"})
    with pytest.raises(ValidationError, match="déjà une réunion le 01/06/2026"):
        services.meeting_create(user=coordinator, data={"date": date(2026, 6, 1), "agenda": "B"})
    # Editing the meeting itself keeps its date.
    meeting = Meeting.objects.get()
    services.meeting_update(user=coordinator, meeting=meeting, data={"agenda": "A revu"})


@settings(max_examples=30, deadline=None)
@given(offset=st.integers(min_value=-400, max_value=400))
def test_minutes_only_for_a_meeting_that_took_place(offset):
    day = TODAY + timedelta(days=offset)
    meeting = Meeting(date=day, agenda="Bilan", minutes="Le comité a examiné le bilan.")
    if offset <= 0:
        meeting.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            meeting.full_clean()
        assert "minutes" in error.value.message_dict


@settings(max_examples=40, deadline=None)
@given(offset=st.integers(min_value=-300, max_value=300))
def test_an_action_is_not_due_before_the_meeting_that_decided_it(offset):
    meeting, _ = Meeting.objects.get_or_create(date=date(2026, 6, 1), defaults={"agenda": "A"})
    item = ActionItem(
        meeting=meeting,
        title="Ouvrir le samedi",
        owner_label="Médiathèques",
        due_on=meeting.date + timedelta(days=offset),
    )
    if offset >= 0:
        item.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            item.full_clean()
        assert "due_on" in error.value.message_dict


def test_an_action_has_one_kind_of_holder(coordinator):
    meeting = services.meeting_create(
        user=coordinator, data={"date": date(2026, 6, 1), "agenda": "A"}
    )
    member = _member(coordinator, "Anne Roig")
    with pytest.raises(ValidationError, match="Un seul porteur"):
        services.action_item_create(
            user=coordinator,
            meeting=meeting,
            data={"title": "X", "owner_member": member, "owner_label": "Médiathèques",
                  "due_on": date(2026, 9, 1)},
        )  # fmt: skip
    assert not ActionItem.objects.exists()


# --- Convocations -------------------------------------------------------------------------------


@pytest.fixture
def convened(coordinator):
    _member(coordinator, "Anne Roig", "anne.roig@example.fr")
    _member(coordinator, "Marc Vidal", "marc.vidal@example.fr")
    return services.meeting_create(
        user=coordinator,
        data={"date": TODAY + timedelta(days=20), "start_time": time(14), "agenda": "Bilan"},
    )


def test_sending_again_says_truthfully_that_nothing_was_sent(
    coordinator_client, convened, django_capture_on_commit_callbacks, mailoutbox
):
    url = reverse("committee:meeting_invite", args=[convened.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = coordinator_client.post(url, follow=True)
    assert "2 convocations mises dans la file d'envoi" in _text(first)
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = coordinator_client.post(url, follow=True)
    assert "Aucune convocation envoyée" in _text(second)
    assert len(mailoutbox) == sent


def test_links_in_the_convocation_use_the_configured_site_address(
    coordinator, convened, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.RELAIS_SITE_URL = "https://relais.ledepartement66.fr"
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_invitations(user=coordinator, meeting=convened)
    assert mailoutbox
    for message in mailoutbox:
        assert f"https://relais.ledepartement66.fr/comite/reunions/{convened.pk}/" in message.body
        assert "127.0.0.1" not in message.body


# --- Minutes and attendance sheet ---------------------------------------------------------------


def test_minutes_and_attendance_sheet_as_pdf(coordinator_client, committee_client, coordinator):
    anne = _member(coordinator, "Anne Roig")
    _member(coordinator, "Marc Vidal")
    meeting = services.meeting_create(
        user=coordinator,
        data={"date": date(2026, 6, 1), "agenda": "Bilan", "location": "Prades",
              "minutes": "Le comité a validé le bilan.", "attendees": [anne]},
    )  # fmt: skip
    services.action_item_create(
        user=coordinator,
        meeting=meeting,
        data={"title": "Ouvrir le samedi", "owner_label": "Médiathèques",
              "due_on": date(2026, 9, 1)},
    )  # fmt: skip
    minutes = committee_client.get(reverse("committee:meeting_minutes", args=[meeting.pk]))
    assert minutes["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_pages(minutes.content, "minutes.pdf"))
    assert "Compte rendu du comité technique du 1er juin 2026" in text
    assert "Le comité a validé le bilan." in text and "Anne Roig" in text
    assert "Ouvrir le samedi" in text
    sheet = coordinator_client.get(reverse("committee:meeting_attendance", args=[meeting.pk]))
    text = " ".join(_pdf_pages(sheet.content, "attendance.pdf"))
    assert "Feuille d'émargement" in text and "Anne Roig" in text and "Marc Vidal" in text
    assert "Signature" in text
    # The sheet lists names to sign: for those who convene the committee only.
    url = reverse("committee:meeting_attendance", args=[meeting.pk])
    assert committee_client.get(url).status_code == 403


# --- The committee page in December -------------------------------------------------------------


@pytest.mark.now("2026-12-06T10:00")
def test_in_december_the_committee_page_links_to_this_years_review(coordinator_client):
    text = _text(coordinator_client.get(reverse("committee:index")))
    assert "Bilan 2026" in text


def test_before_december_it_links_to_last_years_review(coordinator_client):
    assert "Bilan 2025" in _text(coordinator_client.get(reverse("committee:index")))


# --- The review's headline figures, recounted ---------------------------------------------------


@pytest.fixture
def year_2025(department, partner, place, advisor_user, coordinator):
    """At ``place`` (committed 1 half-day a week): Josette 3 times, Paul once, one anonymous
    help, a workshop of 6; four long accompaniments on 14 May (4 h: two half-days); another
    place of the partner without commitment; noise in 2024 and at another partner's place."""
    advisor = advisor_user.advisor
    sign_agreement(department, partner, place)
    josette, paul = BeneficiaryFactory(), BeneficiaryFactory()
    for day in (date(2025, 3, 10), date(2025, 3, 17), date(2025, 4, 7)):
        record_individual(advisor, place=place, beneficiary=josette, date=day)
    record_individual(advisor, place=place, beneficiary=paul, date=date(2025, 3, 10))
    record_individual(advisor, place=place, date=date(2025, 3, 24))
    record_collective(advisor, place=place, participants=6, gender_unknown=6, age_unknown=6,
                      status_unknown=6, date=date(2025, 3, 25))  # fmt: skip
    for _ in range(4):
        record_individual(
            advisor, place=place, beneficiary=paul, date=date(2025, 5, 14), duration_minutes=60
        )
    annex = PlaceFactory(partner=partner)
    record_individual(advisor, place=annex, beneficiary=josette, date=date(2025, 6, 2))
    record_individual(advisor, place=place, beneficiary=josette, date=date(2024, 12, 30))
    record_individual(advisor, place=PlaceFactory(), beneficiary=paul, date=date(2025, 6, 3))
    return {"josette": josette, "paul": paul, "annex": annex}


def test_the_review_figures_match_direct_counts(partner, place, year_2025):
    # The exact figures (the coordination's review); the others' are under disclosure control.
    review = annual_review(year=2025, partner=partner, today=date(2026, 1, 15), exact=True)
    h = review.headline
    # Written out by hand from the fixture, not from the code under test.
    assert h.people == 2  # Josette and Paul, however often they came
    assert h.activities == 3 + 1 + 1 + 1 + 4 + 1  # 11 at the partner's two places
    assert (h.individual, h.collective) == (10, 1)
    assert h.accompaniments == 3 + 1 + 1 + 6 + 4 + 1  # people × sessions = 16
    assert h.accompaniments_without_record == 1 + 6
    # Held at the committed place: 10/03, 17/03, 24/03, 25/03, 07/04 one half-day each, 14/05
    # (4 h of activities) two; the annex has no commitment.
    assert h.held_half_days == 5 + 2
    assert isinstance(h.committed_half_days, int)
    # The same counts straight from the table, independently of the review's queries.
    rows = Activity.objects.filter(date__year=2025, place__partner=partner)
    assert h.activities == rows.count()
    assert h.people == len({a.beneficiary_id for a in rows if a.beneficiary_id})
    assert h.accompaniments == sum(a.participants_count for a in rows)
    committed = sum(row["committed"] for row in review.figures["permanences"]["places"])
    assert h.committed_half_days == committed
    assert h.coverage_rate == round(100 * 7 / committed)


def test_the_review_page_says_people_for_people(coordinator_client, partner, year_2025):
    text = _text(
        coordinator_client.get(reverse("committee:review") + f"?annee=2025&structure={partner.pk}")
    )
    assert "2 personnes distinctes accompagnées" in text
    assert "16 accompagnements" in text
    assert "7 demi-journées tenues" in text


def test_plurals_follow_french_rules(coordinator_client, partner, place, advisor_user):
    record_collective(advisor_user.advisor, place=place, participants=6, gender_unknown=6,
                      age_unknown=6, status_unknown=6, date=date(2025, 3, 25))  # fmt: skip
    text = _text(
        coordinator_client.get(reverse("committee:review") + f"?annee=2025&structure={partner.pk}")
    )
    assert "1 atelier collectif" in text and "1 ateliers" not in text
    assert "0 accompagnement individuel" in text
    assert "0 personne distincte accompagnée" in text


@pytest.mark.now("2026-12-06T10:00")
def test_the_current_year_is_provisional(coordinator_client, partner):
    review = annual_review(year=2026)
    assert review.provisional and "provisoire" in review.title
    pages = _pdf_pages(render_review_pdf(review), "review-provisional.pdf")
    assert "Du 1er janvier au 6 décembre 2026 : chiffres provisoires" in " ".join(pages)
    assert not annual_review(year=2025).provisional


def test_the_footer_is_truthful_about_named_action_holders(coordinator, partner):
    meeting = services.meeting_create(
        user=coordinator, data={"date": date(2025, 6, 12), "agenda": "Bilan"}
    )
    services.action_item_create(
        user=coordinator,
        meeting=meeting,
        data={"title": "Former l'équipe", "owner_label": "Département", "due_on": date(2025, 9, 1)},
    )
    text = " ".join(_pdf_pages(render_review_pdf(annual_review(year=2025))))
    assert "aucune donnée nominative" in text
    services.action_item_create(
        user=coordinator,
        meeting=meeting,
        data={"title": "Ouvrir le samedi", "owner_member": _member(coordinator, "Anne Roig"),
              "due_on": date(2025, 9, 1)},
    )  # fmt: skip
    text = " ".join(_pdf_pages(render_review_pdf(annual_review(year=2025)), "review-2025.pdf"))
    assert "aucune donnée nominative" not in text
    assert "seuls sont nommés les membres du comité qui portent une action" in text

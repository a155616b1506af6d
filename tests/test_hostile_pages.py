"""Issue 12, section 4: the hostile requests that answered 500, each replayed on its page.

Found by a fuzzing run (tests/test_fuzz.py walks every page; this file pins each cause found).
The client observes a 500 as a status instead of raising it, as a browser would.
"""

import base64
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from relais.activities.enums import ActivityKind
from relais.api.services import api_token_create
from relais.planning.models import PlanRun
from relais.team.models import Leave

from .factories import AdvisorFactory
from .helpers import login_verified, page_text

pytestmark = pytest.mark.django_db

HUGE = "-99999999999999999999999"  # beyond 64 bits: OverflowError on SQLite, DataError on PG
TOO_BIG_ID = "99999999999999999999"
# Digits only, so str.isdigit() let it through, and int() refuses more than 4,300 (ValueError).
TOO_LONG_ID = "9" * 5000


def _client(user) -> Client:
    device = user.totpdevice_set.filter(confirmed=True).first()
    return login_verified(Client(raise_request_exception=False), user, device)


@pytest.fixture
def coordinator_web(coordinator):
    return _client(coordinator)


@pytest.fixture
def advisor_web(advisor_user):
    return _client(advisor_user)


@pytest.mark.parametrize("next_url", ["abc", "23:60", "1e309", "0001-01-01T00:00"])
def test_a_next_parameter_that_is_not_a_path_sends_home(coordinator_web, next_url):
    """redirect() read a bare word as a URL name to reverse: NoReverseMatch (500)."""
    response = coordinator_web.get(reverse("accounts:otp_verify"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:home")


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("workshops:session_new", {"atelier": "abc"}),
        ("workshops:session_new", {"atelier": TOO_BIG_ID}),
        ("team:leave_create", {"conseiller": TOO_LONG_ID}),
        ("reporting:dashboard", {"start": "9999-12", "end": "9999-12"}),
        ("reporting:dashboard", {"start": "0001-01"}),
        ("planning:coverage", {"du": "9999-12-31"}),
        ("planning:checks", {"du": "9999-12-31"}),
        ("monthly:list", {"mois": "9999-12"}),
    ],
)
def test_hostile_filters_are_ignored_or_shown_in_error(coordinator_web, url_name, params):
    assert coordinator_web.get(reverse(url_name), params).status_code in {200, 404}


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("rights:create", {"personne": TOO_LONG_ID}),
        ("mandates:list", {"personne": TOO_LONG_ID}),
        ("rights:create", {"personne": "٣"}),
    ],
)
def test_hostile_ids_of_a_person_are_ignored(advisor_web, url_name, params):
    assert advisor_web.get(reverse(url_name), params).status_code in {200, 404}


@pytest.mark.parametrize(
    "params",
    [
        {"kind": ActivityKind.INDIVIDUAL, "beneficiary": TOO_LONG_ID},
        {"kind": ActivityKind.INDIVIDUAL, "place": TOO_LONG_ID},
        {"kind": ActivityKind.COLLECTIVE, "session": TOO_LONG_ID},
    ],
)
def test_hostile_preselections_of_the_activity_form_are_ignored(advisor_web, params):
    assert advisor_web.get(reverse("activities:create"), params).status_code == 200


def test_a_month_report_for_a_partner_that_is_not_an_id_is_not_found(coordinator_web):
    response = coordinator_web.post(reverse("monthly:create"), {"partner": "abc", "mois": "x"})
    assert response.status_code == 404


def test_many_choices_beyond_64_bits_are_a_form_error(coordinator_web, place):
    """ModelMultipleChoiceField queried pk__in=[huge]: OverflowError / "bigint out of range"."""
    advisor = AdvisorFactory()
    response = coordinator_web.post(
        reverse("team:edit", kwargs={"pk": advisor.pk}),
        {"weekly_hours": "35", "working_days": [HUGE], "skills": [HUGE]},
    )
    assert response.status_code == 200
    response = coordinator_web.post(
        reverse("planning:slot_create"), {"place": place.pk, "advisors": [HUGE]}
    )
    assert response.status_code == 200


def test_a_leave_in_the_year_9999_is_refused(coordinator_web):
    advisor = AdvisorFactory()
    response = coordinator_web.post(
        reverse("team:leave_create"),
        {
            "advisor": advisor.pk,
            "kind": "annual",
            "start_date": "2026-12-01",
            "start_half": "am",
            "end_date": "9999-12-31",
            "end_half": "pm",
        },
    )
    assert response.status_code == 200
    assert "entre le 01/01/1990 et le 31/12/2100" in page_text(response)
    assert not Leave.objects.exists()


def test_the_planner_refuses_a_week_in_the_year_9999(coordinator_web):
    response = coordinator_web.post(reverse("planning:planner_run"), {"semaine": "9999-12-31"})
    assert response.status_code == 302
    assert not PlanRun.objects.exists()


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"start": "9999-12"}, "entre 1990 et 2100"),
        ({"start": "0001-01", "end": "9999-12"}, "entre 1990 et 2100"),
        ({"place": "٣"}, "identifiants numériques"),
        ({"partner": TOO_BIG_ID}, "identifiants numériques"),
    ],
)
def test_api_parameters_out_of_range_are_a_json_400(client, administrator, params, detail):
    _, secret = api_token_create(user=administrator, name="t", scopes=["stats:read"])
    response = client.get(
        reverse("api:stats"), params, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 400
    assert detail in response.json()["detail"]


def test_an_api_cursor_beyond_64_bits_is_a_json_400(administrator):
    _, secret = api_token_create(user=administrator, name="t", scopes=["activities:read"])
    cursor = base64.urlsafe_b64encode(f"{date(2026, 1, 1)}|{TOO_BIG_ID}".encode()).decode()
    response = Client(raise_request_exception=False).get(
        reverse("api:activities"), {"cursor": cursor}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("start", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_an_appointment_time_in_the_year_9999_is_refused_in_french(start):
    """The end of the appointment (start + duration) overflowed (500)."""
    from .appointments.appointment_helpers import appointment_type, covered_place

    place, kind = covered_place(), appointment_type(minutes=45)
    url = reverse("appointments:form", kwargs={"place_slug": place.slug})
    response = Client(raise_request_exception=False).get(url, {"type": kind.pk, "debut": start})
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:book", kwargs={"place_slug": place.slug})


def test_an_occurrence_in_the_year_9999_is_not_found(coordinator_web, place):
    from relais.planning.models import Slot

    slot = Slot.objects.create(
        place=place, weekday=1, start_time="09:00", end_time="12:00", valid_from="2026-01-01"
    )
    url = reverse("planning:occurrence", kwargs={"pk": slot.pk, "day": "9999-12-28"})
    assert coordinator_web.get(url).status_code == 404


def test_a_workshop_session_in_the_year_9999_is_refused(coordinator_web, place):
    from relais.workshops.models import WorkshopSession

    from .workshops.factories import WorkshopTopicFactory

    response = coordinator_web.post(
        reverse("workshops:session_new"),
        {
            "topic": WorkshopTopicFactory().pk,
            "place": place.pk,
            "day": "9999-12-27",
            "start_time": "14:00",
            "duration_minutes": "120",
            "capacity": "8",
            "advisors": [AdvisorFactory().pk],
            "occurrences": "1",
        },
    )
    assert response.status_code == 200
    assert "début du programme" in page_text(response)
    assert not WorkshopSession.objects.exists()


def test_a_birth_year_of_five_thousand_digits_is_a_line_error_of_the_import(advisor_web):
    """str.isdigit() let it through and int() refuses more than 4,300 digits (500)."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Nom", "Année de naissance"])
    workbook.active.append(["Cade", "9" * 5000])
    buffer = BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("personnes.xlsx", buffer.getvalue())
    response = advisor_web.post(reverse("beneficiaries:import"), {"file": upload})
    assert response.status_code == 200
    assert "Ligne 2 : année de naissance" in page_text(response)

"""Monthly partner report (Art. 3.4): figures, workflow, validation locking, partner scoping."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from relais.monthly import services
from relais.monthly.enums import ReportStatus
from relais.monthly.figures import monthly_figures
from relais.monthly.models import MonthlyReport, ReportLocked

from ..activities.factories import record_individual
from ..helpers import page_text
from ..monthly.helpers import CANARY_NOTE, MARCH, monday_slot, record_march, sign_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(advisor, place, other_place):
    record_march(advisor, place, other_place)


def test_figures_come_from_the_partners_activities_of_the_month(partner, march):
    figures = monthly_figures(partner=partner, month=MARCH, today=date(2025, 4, 15))
    activities = figures["activities"]
    assert (activities["total"], activities["individual"], activities["collective"]) == (3, 2, 1)
    assert activities["participants"] == 8
    assert activities["collective_participants"] == 6
    gender = {row["value"]: row["count"] for row in activities["profiles"]["gender"]}
    assert gender == {"female": 1, "male": 0, "unknown": 7}
    age = {row["value"]: row["count"] for row in activities["profiles"]["age"]}
    assert age["60_69"] == 1 and sum(age.values()) == 8
    themes = {row["value"]: row["count"] for row in activities["themes"]}
    assert themes["email"] == 2 and themes["health"] == 1
    assert CANARY_NOTE not in str(figures)


def test_permanences_held_versus_committed(department, partner, place, advisor):
    sign_agreement(department, partner, place)
    monday_slot(place, advisor)
    record_individual(advisor, place=place, date=date(2025, 3, 10))  # a Monday of the slot
    record_individual(advisor, place=place, date=date(2025, 3, 13))  # Thursday: no permanence
    permanences = monthly_figures(partner=partner, month=MARCH, today=date(2025, 4, 15))[
        "permanences"
    ]
    # Full weeks of 3, 10, 17 and 24 March, and Monday 31 March alone (1/5 of its week).
    assert permanences["committed_half_days"] == 4  # 4.2, in whole half-days
    assert permanences["planned_half_days"] == 5
    assert permanences["held_half_days"] == 1
    assert permanences["held_rate"] == 25  # 1 of 4
    assert permanences["days_outside_planning"] == 1
    assert permanences["places"][0]["place"] == place.name


def test_submit_freezes_the_figures(partner, advisor, advisor_user, place, march):
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    services.monthly_report_submit(report=report, user=advisor_user, adviser_comment="RAS")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.figures["activities"]["total"] == 3
    record_individual(advisor, place=place, date=date(2025, 3, 20))
    report.refresh_from_db()
    assert report.figures["activities"]["total"] == 3


def test_validated_report_is_locked_and_corrected_by_a_new_version(
    partner, advisor, advisor_user, partner_staff, place, march
):
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    services.monthly_report_submit(report=report, user=advisor_user)
    services.monthly_report_validate(report=report, user=partner_staff)
    report.refresh_from_db()
    assert report.is_locked and report.validated_by == partner_staff
    frozen = dict(report.figures)

    with pytest.raises(ReportLocked):
        services.monthly_report_update(report=report, user=advisor_user, adviser_comment="x")
    with pytest.raises(ReportLocked):
        services.monthly_report_submit(report=report, user=advisor_user)
    with pytest.raises(ReportLocked):
        services.monthly_report_return(report=report, user=partner_staff, comment="Erreur")
    report.adviser_comment = "modifié en douce"
    with pytest.raises(ReportLocked):
        report.save()  # below the services too

    record_individual(advisor, place=place, date=date(2025, 3, 21))
    correction = services.monthly_report_correct(report=report, user=advisor_user)
    assert (correction.version, correction.status, correction.corrects) == (2, "draft", report)
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED and report.figures == frozen
    assert list(MonthlyReport.objects.filter(partner=partner).current()) == [correction]
    with pytest.raises(ValidationError):  # only the latest version can be corrected
        services.monthly_report_correct(report=report, user=advisor_user)
    services.monthly_report_submit(report=correction, user=advisor_user)
    correction.refresh_from_db()
    assert correction.figures["activities"]["total"] == 4


def test_return_needs_a_comment_and_reopens_the_report(partner, advisor_user, partner_staff):
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    with pytest.raises(ValidationError):  # not submitted yet
        services.monthly_report_validate(report=report, user=partner_staff)
    services.monthly_report_submit(report=report, user=advisor_user)
    with pytest.raises(ValidationError):
        services.monthly_report_return(report=report, user=partner_staff, comment="  ")
    services.monthly_report_return(report=report, user=partner_staff, comment="Atelier oublié")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_comment == "Atelier oublié"
    services.monthly_report_submit(report=report, user=advisor_user)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.return_comment == ""


def test_only_the_partners_own_staff_validate(partner, advisor_user, outsider, coordinator):
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    services.monthly_report_submit(report=report, user=advisor_user)
    for user in (outsider, coordinator, advisor_user):
        with pytest.raises(PermissionDenied):
            services.monthly_report_validate(report=report, user=user)


def test_one_report_per_partner_month_and_version(partner, advisor_user):
    first = services.monthly_report_create(
        partner=partner, month=date(2025, 3, 17), user=advisor_user
    )
    assert first.month == MARCH
    assert services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user) == first
    with pytest.raises(ValidationError):
        MonthlyReport(partner=partner, month=MARCH, version=1).validate_constraints()


# --- Pages ------------------------------------------------------------------------------------


def test_partner_sees_only_its_own_reports(
    partner, other_partner, advisor_user, partner_client, outsider_client
):
    own = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    other = services.monthly_report_create(partner=other_partner, month=MARCH, user=advisor_user)
    assert partner_client.get(own.get_absolute_url()).status_code == 200
    assert partner_client.get(other.get_absolute_url()).status_code == 403
    assert outsider_client.get(own.get_absolute_url()).status_code == 403
    page = page_text(partner_client.get(reverse("monthly:list")))
    assert "mars 2025" in page.lower()
    assert page.lower().count("mars 2025") == 1  # the other partner's report is not listed


def test_committee_members_have_no_access(committee_client, partner, advisor_user):
    report = services.monthly_report_create(partner=partner, month=MARCH, user=advisor_user)
    assert committee_client.get(reverse("monthly:list")).status_code == 403
    assert committee_client.get(report.get_absolute_url()).status_code == 403


def test_adviser_prepares_and_submits_then_partner_validates_through_the_pages(
    partner, advisor_client, partner_client, march
):
    response = advisor_client.post(
        reverse("monthly:create"), {"partner": partner.pk, "mois": "2025-03"}
    )
    report = MonthlyReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert "Chiffres provisoires" in page_text(advisor_client.get(report.get_absolute_url()))
    advisor_client.post(
        reverse("monthly:submit", args=[report.pk]), {"adviser_comment": "Mois calme"}
    )
    report.refresh_from_db()
    assert report.status == "submitted" and report.adviser_comment == "Mois calme"

    page = page_text(partner_client.get(report.get_absolute_url()))
    assert "Valider le compte rendu" in page
    partner_client.post(reverse("monthly:validate", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "validated"
    page = page_text(partner_client.get(report.get_absolute_url()))
    assert "verrouillé" in page and "Valider le compte rendu" not in page
    # A late edit attempt through the page is refused with a message, nothing changes.
    advisor_client.post(reverse("monthly:update", args=[report.pk]), {"adviser_comment": "x"})
    report.refresh_from_db()
    assert report.adviser_comment == "Mois calme"


def test_partner_cannot_prepare(partner, partner_client):
    response = partner_client.post(
        reverse("monthly:create"), {"partner": partner.pk, "mois": "2025-03"}
    )
    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()


def test_coordinator_list_shows_every_partner_for_the_month(
    coordinator_client, partner, other_partner
):
    page = page_text(coordinator_client.get(reverse("monthly:list") + "?mois=2025-03"))
    assert partner.name in page and other_partner.name in page
    assert "Préparer" in page


def test_the_agreements_half_day_is_the_one_length(department, partner, place, advisor):
    """A half-day lasts what the place's agreement says (here 1 h 30), not 3 h 30."""
    from decimal import Decimal

    from relais.agreements.half_days import DEFAULT_HALF_DAY_HOURS, half_day_hours_by_place
    from relais.reporting.coverage import held_half_days

    assert half_day_hours_by_place([place.pk], date(2025, 3, 10)) == {
        place.pk: DEFAULT_HALF_DAY_HOURS
    }
    agreement = sign_agreement(department, partner, place)
    type(agreement).objects.filter(pk=agreement.pk).update(half_day_hours=Decimal("1.5"))
    assert half_day_hours_by_place([place.pk], date(2025, 3, 10)) == {place.pk: Decimal("1.5")}
    record_individual(advisor, place=place, date=date(2025, 3, 10), duration_minutes=120)
    assert held_half_days(place, date(2025, 3, 10)) == 2  # 2 h > one half-day of 1 h 30
    monday_slot(place, advisor)  # 09:00–12:00: two half-days of 1 h 30
    permanences = monthly_figures(partner=partner, month=MARCH, today=date(2025, 4, 15))[
        "permanences"
    ]
    assert permanences["planned_half_days"] == 10  # 5 Mondays × 2
    assert isinstance(permanences["committed_half_days"], int)

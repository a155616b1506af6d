"""Advisers' work profile (training, working time and days, skills) and leave."""

from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from relais.team import services
from relais.team.enums import LeaveKind, SkillKind, TrainingStatus
from relais.team.models import Leave, Skill

from ..factories import AdvisorFactory
from ..helpers import count_tags, page_text

pytestmark = pytest.mark.django_db


def test_profile_defaults_full_time_monday_to_friday():
    advisor = AdvisorFactory()
    assert advisor.weekly_hours == Decimal("35")
    assert advisor.working_days == [0, 1, 2, 3, 4]
    assert advisor.working_days_display == "lundi, mardi, mercredi, jeudi, vendredi"
    assert advisor.training_status == TrainingStatus.NOT_STARTED
    assert advisor.works_on(date(2026, 4, 15)) and not advisor.works_on(date(2026, 4, 18))


def test_profile_update_part_time_with_skills():
    advisor = AdvisorFactory()
    skill = Skill.objects.create(name="Aidants Connect", kind=SkillKind.HABILITATION)
    services.advisor_update_profile(
        advisor=advisor,
        weekly_hours=Decimal("28"),
        working_days=[4, 0, 2, 3, 0],
        training_status=TrainingStatus.CERTIFIED,
        training_date=date(2024, 6, 28),
        skills=[skill],
    )
    advisor.refresh_from_db()
    assert advisor.working_days == [0, 2, 3, 4] and advisor.is_part_time
    assert list(advisor.skills.all()) == [skill]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"working_days": []}, "au moins un jour"),
        ({"working_days": [7]}, "Jours travaillés invalides"),
        ({"training_status": TrainingStatus.CERTIFIED}, "date de certification"),
    ],
)
def test_profile_validation(fields, message):
    with pytest.raises(ValidationError, match=message):
        services.advisor_update_profile(advisor=AdvisorFactory(), **fields)


def test_leave_to_the_half_day():
    advisor = AdvisorFactory()
    leave = services.leave_create(
        advisor=advisor,
        kind=LeaveKind.PAID,
        start_date=date(2026, 4, 14),
        start_half="pm",
        end_date=date(2026, 4, 16),
        end_half="am",
    )
    assert leave.period_display == "du 14/04/2026 après-midi au 16/04/2026 matin"
    assert not leave.covers(date(2026, 4, 14), time(9), time(12))
    assert leave.covers(date(2026, 4, 14), time(14), time(17))
    assert leave.covers(date(2026, 4, 15), time(9), time(12))
    assert leave.covers(date(2026, 4, 16), time(9), time(12))
    assert not leave.covers(date(2026, 4, 16), time(14), time(17))
    whole = services.leave_create(
        advisor=advisor, kind=LeaveKind.SICK, start_date=date(2026, 5, 4), end_date=date(2026, 5, 4)
    )
    assert whole.period_display == "le 04/05/2026"


def test_leave_validation():
    advisor = AdvisorFactory()
    with pytest.raises(ValidationError, match="précède"):
        services.leave_create(
            advisor=advisor, kind="paid", start_date=date(2026, 4, 14), end_date=date(2026, 4, 13)
        )
    with pytest.raises(ValidationError, match="ne peut pas finir le matin"):
        services.leave_create(
            advisor=advisor,
            kind="paid",
            start_date=date(2026, 4, 14),
            end_date=date(2026, 4, 14),
            start_half="pm",
            end_half="am",
        )


def test_coordinator_records_leave_on_the_leave_page(coordinator_client, coordinator):
    advisor = AdvisorFactory(user__last_name="Pixel")
    url = reverse("team:leave_create")
    assert count_tags(coordinator_client.get(url).content.decode(), "h1") == 1
    response = coordinator_client.post(
        url,
        {
            "advisor": advisor.pk,
            "kind": "training",
            "start_date": "2099-01-05",
            "start_half": "am",
            "end_date": "2099-01-06",
            "end_half": "pm",
            "note": "Formation",
        },
    )
    assert response.status_code == 302
    leave = Leave.objects.get()
    assert leave.created_by == coordinator
    assert "Pixel" in page_text(coordinator_client.get(reverse("team:leave_list")))
    response = coordinator_client.post(
        reverse("team:leave_edit", args=[leave.pk]),
        {
            "advisor": advisor.pk,
            "kind": "paid",
            "start_date": "2099-01-05",
            "start_half": "am",
            "end_date": "2099-01-05",
            "end_half": "am",
            "note": "",
        },
    )
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.kind == "paid" and leave.end_half == "am"
    assert coordinator_client.post(reverse("team:leave_delete", args=[leave.pk])).status_code == 302
    assert not Leave.objects.exists()


def test_advisers_see_their_own_leave_only(client_for, advisor_user):
    me = advisor_user.advisor
    colleague = AdvisorFactory(user__last_name="Collègue")
    services.leave_create(
        advisor=me, kind="paid", start_date=date(2099, 1, 5), end_date=date(2099, 1, 9)
    )
    services.leave_create(
        advisor=colleague, kind="sick", start_date=date(2099, 1, 5), end_date=date(2099, 1, 9)
    )
    client = client_for(advisor_user)
    text = page_text(client.get(reverse("team:leave_list")))
    assert "Mes congés et absences" in text and "Congé payé" in text
    assert "Arrêt maladie" not in text
    # Their colleague's page shows the profile but no leave.
    text = page_text(client.get(reverse("team:detail", args=[colleague.pk])))
    assert "Collègue" in text and "Arrêt maladie" not in text and "Congés et absences" not in text
    text = page_text(client.get(reverse("team:detail", args=[me.pk])))
    assert "Congé payé" in text
    assert client.get(reverse("team:leave_create")).status_code == 403
    assert client.get(reverse("team:edit", args=[me.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["partner_client", "committee_client"])
def test_partner_staff_and_committee_see_no_leave(request, persona):
    client = request.getfixturevalue(persona)
    advisor = AdvisorFactory()
    assert client.get(reverse("team:leave_list")).status_code == 403
    assert client.get(reverse("team:detail", args=[advisor.pk])).status_code == 403


def test_coordinator_edits_a_profile(coordinator_client):
    advisor = AdvisorFactory()
    Skill.objects.create(name="Catalan", kind=SkillKind.LANGUAGE)
    url = reverse("team:edit", args=[advisor.pk])
    assert count_tags(coordinator_client.get(url).content.decode(), "h1") == 1
    response = coordinator_client.post(
        url,
        {
            "training_status": "in_progress",
            "training_date": "",
            "weekly_hours": "24.5",
            "working_days": ["0", "1", "3"],
            "contract_start": "2023-06-01",
            "contract_end": "",
            "skills": [Skill.objects.get().pk],
        },
    )
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.weekly_hours == Decimal("24.5") and advisor.working_days == [0, 1, 3]
    text = page_text(coordinator_client.get(reverse("team:detail", args=[advisor.pk])))
    assert "24,5 h par semaine (temps partiel)" in text and "Catalan" in text
    list_text = page_text(coordinator_client.get(reverse("team:list")))
    assert "En cours" in list_text and "temps partiel" in list_text

"""The adviser's entry form, list and detail; who sees what."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.activities.models import Activity

from ..appointments.appointment_helpers import covered_place, permanence
from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory, PlaceFactory, TOTPDeviceFactory
from ..helpers import page_text
from .factories import record_collective, record_individual
from .formdata import form_defaults

pytestmark = pytest.mark.django_db
CREATE = reverse("activities:create")


def _post(client, data: dict, kind="individual"):
    url = CREATE + ("?kind=collective" if kind == "collective" else "")
    return client.post(url, data)


def test_form_is_prefilled_from_context(advisor_client, advisor):
    response = advisor_client.get(CREATE)
    assert response.status_code == 200
    defaults = form_defaults(response.content.decode())
    assert defaults["date"] == [timezone.localdate().isoformat()]
    assert defaults["duration"] == ["30"]
    assert defaults["autonomy"] == ["guided"]
    assert defaults["location_kind"] == ["place"]
    assert defaults["place"] == [""]  # no habit yet, no planning
    uuid.UUID(defaults["idempotency_key"][0])
    # The place of most of this month's activities becomes the default …
    place = covered_place()
    # Today is in this month whatever the suite's clock says (tests/conftest.py), and no
    # permanence is planned: only the month's habit can choose the place.
    record_individual(advisor, place=place, date=timezone.localdate())
    defaults = form_defaults(advisor_client.get(CREATE).content.decode())
    assert defaults["place"] == [str(place.pk)]
    # … unless the link names one.
    other = PlaceFactory()
    defaults = form_defaults(advisor_client.get(CREATE + f"?place={other.slug}").content.decode())
    assert defaults["place"] == [str(other.pk)]


def _default_place(client) -> str:
    return form_defaults(client.get(CREATE).content.decode())["place"][0]


@pytest.mark.now("2026-11-24T10:15")  # a Tuesday, during the morning permanence
def test_default_place_is_the_permanence_under_way_else_the_most_frequent_this_month(
    advisor_client, advisor
):
    prades = covered_place()
    vinca = covered_place(name="Médiathèque de Vinça", slug="mediatheque-vinca", commune="Vinça")
    outside = PlaceFactory(name="Commune de Baillestavy")  # in no convention
    today = timezone.localdate()
    for day in (1, 2, 3):
        record_individual(advisor, place=outside, date=today.replace(day=day))
    for day in (4, 5):
        record_individual(advisor, place=vinca, date=today.replace(day=day))
    record_individual(advisor, place=prades, date=today.replace(day=6))
    record_individual(advisor, place=prades, date=today - timedelta(days=40))  # last month
    # Never a place outside the convention, however often: Vinça is this month's habit.
    assert _default_place(advisor_client) == str(vinca.pk)
    # The permanence under way wins over the habit.
    permanence(prades, [advisor], weekday=today.weekday(), start="09:00", end="12:00")
    assert _default_place(advisor_client) == str(prades.pk)


@pytest.mark.now("2026-11-24T15:00")  # the same Tuesday, the morning permanence long over
def test_a_permanence_that_is_over_does_not_set_the_place(advisor_client, advisor):
    prades = covered_place()
    vinca = covered_place(name="Médiathèque de Vinça", slug="mediatheque-vinca", commune="Vinça")
    record_individual(advisor, place=vinca, date=timezone.localdate())
    permanence(prades, [advisor], weekday=timezone.localdate().weekday())
    assert _default_place(advisor_client) == str(vinca.pk)


def test_typical_individual_report_takes_four_interactions(advisor_client, advisor, place):
    """≤ 5 interactions after the form opens. Everything else is prefilled or defaulted:
    date (today), adviser (the logged-in one), place (?place= or habit or planning), where (at
    the place), duration (30 min), autonomy (entièrement accompagné), person (anonymous).
    """
    html = advisor_client.get(CREATE + f"?place={place.slug}").content.decode()
    data = form_defaults(html)
    interactions = [
        ("tap theme « E-mail »", lambda d: d.setdefault("themes", []).append("email")),
        ("tap theme « Social - Santé »", lambda d: d["themes"].append("social_health")),
        ("tap duration « 45 min »", lambda d: d.update(duration=["45"])),
        ("tap « Enregistrer »", None),
    ]
    for _, action in interactions:
        if action:
            action(data)
    assert len(interactions) <= 5
    response = advisor_client.post(CREATE, data)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    assert activity.advisor == advisor
    assert activity.place == place
    assert activity.date == timezone.localdate()
    assert activity.duration_minutes == 45
    assert activity.autonomy == "guided"
    assert sorted(activity.themes.values_list("theme", flat=True)) == ["email", "social_health"]


def test_double_post_returns_the_same_activity(advisor_client, place):
    data = form_defaults(advisor_client.get(CREATE + f"?place={place.pk}").content.decode())
    data["themes"] = ["email"]
    first = advisor_client.post(CREATE, data)
    second = advisor_client.post(CREATE, data)  # double tap, or retry after a lost response
    assert Activity.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    page = advisor_client.get(second["Location"])
    assert "Cette activité était déjà enregistrée" in page_text(page)


def test_failed_validation_keeps_what_was_typed(advisor_client, place):
    data = form_defaults(advisor_client.get(CREATE).content.decode())
    key = data["idempotency_key"][0]
    data.update(
        duration=["other"],
        custom_duration=[""],
        private_notes=["Rappeler mardi"],
        autonomy=["autonomous"],
        equipment=["phone"],
    )
    response = advisor_client.post(CREATE, data)  # no theme, no place, no custom minutes
    assert response.status_code == 200
    assert not Activity.objects.exists()
    text = page_text(response)
    assert "Choisissez au moins une thématique." in text
    assert "Choisissez le lieu d'activité." in text
    assert "Indiquez la durée en minutes." in text
    kept = form_defaults(response.content.decode())
    assert kept["idempotency_key"] == [key]  # the retry after fixing is the same submission
    assert kept["private_notes"] == ["Rappeler mardi"]
    assert kept["autonomy"] == ["autonomous"]
    assert kept["duration"] == ["other"]
    assert kept["equipment"] == ["phone"]
    assert 'data-bound="true"' in response.content.decode()  # draft.js keeps server content


def test_entry_page_uses_the_draft_script_without_inline_code(advisor_client):
    html = advisor_client.get(CREATE).content.decode()
    assert 'src="/static/activities/draft.js"' in html
    assert 'data-draft-key="relais-draft-activity-individual"' in html
    assert "<script>" not in html and "style=" not in html
    assert advisor_client.get("/static/activities/draft.js").status_code == 200


def test_collective_entry(advisor_client, place):
    data = form_defaults(advisor_client.get(CREATE + "?kind=collective").content.decode())
    assert data["duration"] == ["120"]
    data.update(
        title=["Découvrir sa tablette"],
        themes=["hardware_basics"],
        place=[str(place.pk)],
        participants_count=["6"],
        gender_female=["4"],
        gender_male=["3"],
        age_70_plus=["6"],
    )
    response = _post(advisor_client, data, kind="collective")
    text = page_text(response)
    assert "répartition par genre compte 7 personne(s) pour 6" in text
    assert response.context["form"].errors.keys() == {"gender_female"}
    data["gender_male"] = ["1"]  # « Non communiqué », left empty, counts the rest
    response = _post(advisor_client, data, kind="collective")
    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert (activity.participants_count, activity.gender_female, activity.age_70_plus) == (6, 4, 6)
    assert (activity.gender_male, activity.gender_unknown, activity.status_unknown) == (1, 1, 6)


def test_an_explicit_unknown_count_that_does_not_add_up_is_refused_on_its_field(
    advisor_client, place
):
    data = form_defaults(advisor_client.get(CREATE + "?kind=collective").content.decode())
    data.update(
        title=["Découvrir sa tablette"],
        themes=["hardware_basics"],
        place=[str(place.pk)],
        participants_count=["6"],
        gender_female=["4"],
        gender_unknown=["1"],
    )
    response = _post(advisor_client, data, kind="collective")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"gender_unknown"}
    assert "compte 5 personne(s) pour 6" in page_text(response)
    assert not Activity.objects.exists()


@pytest.mark.now("2026-11-24T10:00")
def test_list_shows_own_activities_latest_first(advisor_client, advisor, place):
    today = timezone.localdate()  # the pinned instant above (@pytest.mark.now): a fixed day
    record_individual(
        advisor,
        place=place,
        date=today - timedelta(days=3),
        beneficiary=BeneficiaryFactory(first_name="Aurore", last_name="Garrigue"),
    )
    record_collective(advisor, place=place, date=today - timedelta(days=1))
    record_individual(AdvisorFactory().user.advisor, place=place, date=today)
    text = page_text(advisor_client.get(reverse("activities:list")))
    assert text.index("Se protéger des arnaques") < text.index("Aurore GARRIGUE")
    assert text.count("Personne anonyme") == 0  # the other adviser's anonymous activity


def test_private_notes_are_shown_to_their_author_only(advisor_client, client_for, advisor, place):
    activity = record_individual(advisor, place=place, private_notes="Fils à l'hôpital")
    assert "Fils à l'hôpital" in page_text(advisor_client.get(activity.get_absolute_url()))
    colleague = AdvisorFactory().user
    TOTPDeviceFactory(user=colleague)
    response = client_for(colleague).get(activity.get_absolute_url())
    assert response.status_code == 200
    assert "Fils à l'hôpital" not in response.content.decode()
    assert "Notes privées" not in page_text(response)
    assert (
        client_for(colleague).get(reverse("activities:edit", args=[activity.pk])).status_code == 403
    )


@pytest.mark.parametrize(
    "persona", ["coordinator_client", "partner_client", "committee_client", "administrator_client"]
)
def test_activity_pages_are_for_advisers_only(request, persona, advisor, place):
    client = request.getfixturevalue(persona)
    person = BeneficiaryFactory(first_name="Aurore", last_name="Garrigue")
    activity = record_individual(advisor, place=place, beneficiary=person, private_notes="secret")
    for url in (
        reverse("activities:list"),
        CREATE,
        activity.get_absolute_url(),
        reverse("activities:edit", args=[activity.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Garrigue" not in response.content.decode()
    assert client.post(CREATE, {"themes": ["email"]}).status_code == 403
    nav = page_text(client.get("/"))
    assert "Activités" not in nav and "Bénéficiaires" not in nav


def test_edit_within_the_window_only(advisor_client, advisor, place):
    activity = record_individual(advisor, place=place)
    url = reverse("activities:edit", args=[activity.pk])
    data = form_defaults(advisor_client.get(url).content.decode())
    assert data["themes"] == ["email"]
    data.update(themes=["health"], duration=["60"])
    assert advisor_client.post(url, data)["Location"] == activity.get_absolute_url()
    activity.refresh_from_db()
    assert activity.duration_minutes == 60
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert advisor_client.get(url).status_code == 403


def test_beneficiary_link_prefills_the_person_and_a_missing_key_still_records(
    advisor_client, place
):
    person = BeneficiaryFactory()
    html = advisor_client.get(CREATE + f"?beneficiary={person.pk}&place={place.pk}").content
    data = form_defaults(html.decode())
    assert data["beneficiary"] == [str(person.pk)]
    data.update(themes=["email"], idempotency_key=[""])
    response = advisor_client.post(CREATE, data)
    assert response["Location"] == Activity.objects.get(beneficiary=person).get_absolute_url()

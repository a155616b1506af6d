"""Titles follow the person or stay neutral (issue 17 §4): nothing is guessed from a first
name; a person chooses on « Mon compte » how their function is written, and the team pages
use it (« Ambassadrice du numérique »)."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from relais.accounts.enums import Role, TitleForm
from relais.core.french import TITLES, person_title
from relais.team.enums import AdvisorKind

pytestmark = pytest.mark.django_db


def test_titles_in_each_form():
    assert person_title("advisor", "feminine") == "Conseillère numérique"
    assert person_title("advisor", "masculine") == "Conseiller numérique"
    assert person_title("advisor") == "Médiation numérique"
    assert person_title("coordinator", "feminine") == "Coordinatrice du Département"
    assert person_title("ambassador", "feminine") == "Ambassadrice du numérique"
    assert person_title("ambassador") == "Ambassadeur ou ambassadrice du numérique"
    assert person_title("cnfs", "masculine") == "Conseiller numérique France Services"
    assert person_title("inconnu", "feminine") == ""


@given(
    key=st.sampled_from([*Role.values, *AdvisorKind.values]),
    form=st.sampled_from([*TitleForm.values, "autre", None]),
)
def test_every_role_and_kind_has_a_title_in_every_form_without_point_median(key, form):
    title = person_title(key, form or "")
    assert title and title[0].isupper()
    assert "·" not in title and "(e)" not in title
    # Anything but the two chosen forms gives the neutral one.
    if form not in ("feminine", "masculine"):
        assert title == TITLES[key][2]


def test_the_account_page_is_neutral_by_default_and_follows_the_choice(advisor_client):
    url = reverse("accounts:account")
    page = advisor_client.get(url).content.decode()
    assert "Médiation numérique" in page and 'name="title_form"' in page
    response = advisor_client.post(url, {"title_form": "feminine"}, follow=True)
    page = response.content.decode()
    assert "Votre fonction s&#x27;écrit désormais « Conseillère numérique »" in page
    assert "<dd>Conseillère numérique</dd>" in page


def test_a_wrong_value_is_refused_in_french_and_nothing_changes(advisor_client, advisor_user):
    response = advisor_client.post(reverse("accounts:account"), {"title_form": "neutre?"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    advisor_user.refresh_from_db()
    assert advisor_user.title_form == ""


def test_the_team_pages_write_the_advisers_status_as_they_chose(coordinator_client, advisor):
    advisor.kind = AdvisorKind.AMBASSADOR
    advisor.save()
    detail = reverse("team:detail", kwargs={"pk": advisor.pk})
    assert (
        "Ambassadeur ou ambassadrice du numérique"
        in coordinator_client.get(detail).content.decode()
    )
    advisor.user.title_form = TitleForm.FEMININE
    advisor.user.save()
    assert "Ambassadrice du numérique" in coordinator_client.get(detail).content.decode()
    listing = coordinator_client.get(reverse("team:list")).content.decode()
    assert "Ambassadrice du numérique" in listing

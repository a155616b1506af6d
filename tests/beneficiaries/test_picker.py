"""The person picker (issue 19 §1): a search instead of a <select> of the whole file."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.activities.models import Activity
from relais.beneficiaries.models import Beneficiary
from relais.beneficiaries.normalise import fold, name_key
from relais.beneficiaries.queries import PICKER_LIMIT, beneficiaries_matching

from ..activities.formdata import form_defaults
from .factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("activities:create")
PICK = reverse("beneficiaries:pick")


def _form(client, **changes):
    data = form_defaults(client.get(CREATE).content.decode())
    data.update({"themes": ["email"], "location_kind": "home", **changes})
    return data


def test_form_lists_nobody_until_a_search(advisor_client):
    BeneficiaryFactory.create_batch(300)
    response = advisor_client.get(CREATE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fictif" not in html  # not one name of the file
    assert 'name="beneficiary_q"' in html and f'hx-get="{PICK}"' in html
    assert len(response.content) < 100_000


def test_search_view_lists_a_few_names_with_what_tells_homonyms_apart(advisor_client):
    for year in (1951, 1962):
        BeneficiaryFactory(first_name="Roger", last_name="Myrte", birth_year=year)
    BeneficiaryFactory.create_batch(PICKER_LIMIT + 3, last_name="Dupont")
    html = advisor_client.get(PICK, {"name": "beneficiary", "beneficiary_q": "myrte rog"})
    text = html.content.decode()
    assert text.count('type="radio"') == 2 and "1951" in text and "1962" in text
    many = advisor_client.get(PICK, {"name": "beneficiary", "beneficiary_q": "dupont"})
    assert many.content.decode().count('type="radio"') == PICKER_LIMIT
    assert "précisez" in many.content.decode()
    short = advisor_client.get(PICK, {"name": "beneficiary", "beneficiary_q": "d"})
    assert "au moins 2 lettres" in short.content.decode()


@pytest.mark.parametrize("persona", ["coordinator_client", "partner_client", "committee_client"])
def test_search_view_is_for_advisers_only(request, persona):
    BeneficiaryFactory(last_name="Myrte")
    response = request.getfixturevalue(persona).get(PICK, {"beneficiary_q": "myrte"})
    assert response.status_code == 403


def test_a_chosen_person_is_recorded(advisor_client):
    person = BeneficiaryFactory(last_name="Myrte")
    response = advisor_client.post(CREATE, _form(advisor_client, beneficiary=str(person.pk)))
    assert response.status_code == 302
    assert Activity.objects.get().beneficiary == person


@pytest.mark.parametrize("forged", ["999999", "abc", "-1", "1e3", "٣"])
def test_a_forged_pk_gets_a_french_message_and_nothing_is_stored(advisor_client, forged):
    response = advisor_client.post(CREATE, _form(advisor_client, beneficiary=forged))
    assert response.status_code == 200
    assert "ne vous est pas accessible" in response.content.decode()
    assert not Activity.objects.exists()


def test_without_javascript_the_typed_name_is_the_search(advisor_client):
    """No script: the text typed is sent with the form; one match is that person, several
    are listed to choose from, « Rechercher » always lists and never records."""
    roger = BeneficiaryFactory(first_name="Roger", last_name="Myrte")
    BeneficiaryFactory(first_name="Rosine", last_name="Myrte")
    several = advisor_client.post(CREATE, _form(advisor_client, beneficiary_q="Myrte"))
    text = several.content.decode()
    assert "Choisissez la personne dans la liste" in text and "Rosine" in text
    assert not Activity.objects.exists()
    searched = advisor_client.post(
        CREATE, _form(advisor_client, beneficiary_q="roger", beneficiary_search="1")
    )
    assert "Choisissez la personne" in searched.content.decode()
    assert f'value="{roger.pk}"' in searched.content.decode()
    assert not Activity.objects.exists()
    none = advisor_client.post(CREATE, _form(advisor_client, beneficiary_q="Zyx"))
    assert "Aucune personne ne correspond à « Zyx »" in none.content.decode()
    one = advisor_client.post(CREATE, _form(advisor_client, beneficiary_q="MYRTÉ Roger"))
    assert one.status_code == 302
    assert Activity.objects.get().beneficiary == roger


def test_anonymous_stays_the_default(advisor_client):
    BeneficiaryFactory(last_name="Myrte")
    response = advisor_client.post(CREATE, _form(advisor_client))
    assert response.status_code == 302
    assert Activity.objects.get().beneficiary is None


def test_prefilled_person_and_edit_form_show_the_chosen_one(advisor_client):
    person = BeneficiaryFactory(first_name="Roger", last_name="Myrte")
    html = advisor_client.get(CREATE, {"beneficiary": person.pk}).content.decode()
    assert f'value="{person.pk}" checked' in html and "Roger MYRTE" in html


NAMES = st.text(alphabet="abcéèdeLMnoçR -'", min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(names=st.lists(st.tuples(NAMES, NAMES), min_size=1, max_size=15), query=NAMES)
def test_matches_are_what_a_plain_reading_of_the_names_finds(names, query):
    """Independent checker: fold every name in Python and keep those containing every word."""
    Beneficiary.objects.all().delete()
    people = [
        Beneficiary.objects.create(first_name=f, last_name=last, name_key=name_key(last, f))
        for last, f in names
    ]
    found = beneficiaries_matching(Beneficiary.objects.all(), query)
    words = fold(query).split()
    if len("".join(words)) < 2:
        assert found == []
        return
    expected = sorted(
        (p for p in people if p.name_key and all(w in p.name_key for w in words)),
        key=lambda p: (p.name_key, p.pk),
    )
    assert [p.pk for p in found] == [p.pk for p in expected[: PICKER_LIMIT + 1]]

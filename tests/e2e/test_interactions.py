"""Interactions to record an individual activity on a phone, realistic case (issue 17 §5).

The adviser changes the duration and names the person (the two things that differ from one
visit to the next), on the demo data (about 180 people, homonyms included), at 360 px. Counted
are the taps after the form has opened; choosing in the person list counts two (open the list,
tap the name), as on a phone. Target: 5 or fewer.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.activities.models import Activity
from relais.beneficiaries.models import Beneficiary

from ..privacy.journal_helpers import journal_wipe
from .test_phone_layout import PHONE, _log_in, _user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _journal_emptied_after():
    yield
    journal_wipe()


def test_individual_activity_with_duration_and_person_in_five_taps(
    page, live_server, assert_accessible, console_errors
):
    call_command("demo", "--force", verbosity=0, stdout=io.StringIO())
    advisor = _user(Role.ADVISOR)
    person = Beneficiary.objects.exclude(last_name="").order_by("-pk").first()
    before = Activity.objects.count()
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, advisor)
    page.goto(live_server.url + reverse("activities:create"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")
    options = page.get_by_label("Personne accompagnée").locator("option").count()

    taps = 0
    page.get_by_label("Social - Santé").check()
    taps += 1
    page.get_by_label("45 min").check()
    taps += 1
    page.get_by_label("Personne accompagnée").select_option(str(person.pk))
    taps += 2  # open the list, tap the name (after scrolling a list of `options` names)
    page.get_by_role("button", name="Enregistrer").click()
    taps += 1
    print(f"{taps} interactions ; liste de {options} personnes")

    expect(page.get_by_role("status")).to_contain_text("L'activité est enregistrée.")
    activity = Activity.objects.order_by("-pk").first()
    assert Activity.objects.count() == before + 1
    assert activity.duration_minutes == 45 and activity.beneficiary == person
    assert taps <= 5
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible("accompagnement enregistré, 360 px")
    assert console_errors == []

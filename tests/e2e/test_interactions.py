"""Interactions to record an individual activity on a phone, realistic case (issue 17 §5).

The adviser changes the duration and names the person (the two things that differ from one
visit to the next), on the demo data (about 180 people, homonyms included), at 360 px. Counted
are the interactions after the form has opened: a tap on a choice, and for the person, typing
the name in the search field (one) then tapping the person found (one). Target: 5 or fewer.
"""

import io
import re

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
    # A person without a homonym, so that the name typed finds the one meant.
    named = Beneficiary.objects.exclude(last_name="").order_by("-pk")
    person = next(
        p
        for p in named
        if named.filter(first_name=p.first_name, last_name=p.last_name).count() == 1
    )
    before = Activity.objects.count()
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, advisor)
    page.goto(live_server.url + reverse("activities:create"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvel accompagnement")

    taps = 0
    page.get_by_label("Social - Santé").check()
    taps += 1
    page.get_by_label("45 min").check()
    taps += 1
    page.get_by_label("Rechercher par nom").fill(f"{person.first_name} {person.last_name}")
    taps += 1  # the name typed in the search field
    found = page.get_by_role("radio", name=re.compile(re.escape(person.display_name)))
    found.check()
    taps += 1
    options = page.locator("#id_beneficiary_results").get_by_role("radio").count()
    page.get_by_role("button", name="Enregistrer").click()
    taps += 1
    print(f"{taps} interactions ; {options} personne(s) proposée(s) par la recherche")

    expect(page.get_by_role("status")).to_contain_text("L'activité est enregistrée.")
    activity = Activity.objects.order_by("-pk").first()
    assert Activity.objects.count() == before + 1
    assert activity.duration_minutes == 45 and activity.beneficiary == person
    assert taps <= 5
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible("accompagnement enregistré, 360 px")
    assert console_errors == []

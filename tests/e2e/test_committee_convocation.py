"""A coordinator convenes the committee: a meeting with its times, then the convocations.

The meeting page must pass axe-core and keep the CSP; each member receives one e-mail with a
calendar file, and a second click sends nothing more.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from relais.accounts.enums import Role
from relais.committee.enums import MemberCategory
from relais.committee.models import CommitteeMember, MeetingInvitation

from ..factories import DepartmentFactory, TOTPDeviceFactory, UserFactory
from .steps import LOGIN, PHONE, assert_fits_phone, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_convenes_the_committee(page, live_server, assert_accessible, console_errors):
    department = DepartmentFactory(name="Département des Pyrénées-Orientales")
    for name, email in [("Anne Roig", "anne@example.fr"), ("Marc Vidal", "marc@example.fr"),
                        ("Louise Sans", "")]:  # fmt: skip
        CommitteeMember.objects.create(
            category=MemberCategory.DEPARTMENT, organisation=department, full_name=name,
            email=email, joined_on=date(2024, 1, 1),
        )  # fmt: skip
    device = TOTPDeviceFactory(user=UserFactory(role=Role.COORDINATOR, organisation=department))
    sign_in(page, live_server.url + LOGIN, device.user, device)
    expect(page).to_have_url(live_server.url + "/")

    # A month after the suite's fixed clock (tests/conftest.py), which the server reads too.
    day = timezone.localdate() + timedelta(days=30)
    page.goto(live_server.url + "/comite/reunions/nouvelle/")
    page.get_by_label(re.compile(r"^Date")).fill(day.isoformat())
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Heure de fin").fill("13:00")
    page.get_by_label("Lieu").fill("Château Pams, Prades")
    page.get_by_label(re.compile(r"^Ordre du jour")).fill("Bilan annuel")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("L'heure de fin doit suivre l'heure de début.", exact=True)
    ).to_be_visible()
    assert_accessible("réunion refusée (heures)")
    page.get_by_label("Heure de fin").fill("16:30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Comité technique du {day:%d/%m/%Y}")

    page.set_viewport_size(PHONE)
    expect(page.get_by_text(re.compile(r"de 14\sh à 16\sh\s30"))).to_be_visible()
    assert_fits_phone(page)
    assert_accessible("réunion à convoquer, 360 px")
    page.get_by_role("button", name="Envoyer la convocation (2 membres)").click()
    expect(page.get_by_role("status")).to_contain_text("2 convocations mises dans la file d'envoi")
    expect(page.get_by_text("Tous les membres qui ont une adresse e-mail")).to_be_visible()
    assert_accessible("convocations envoyées, 360 px")

    assert sorted(m.to[0] for m in mail.outbox) == ["anne@example.fr", "marc@example.fr"]
    assert all(m.attachments[0][0].endswith(".ics") for m in mail.outbox)
    assert MeetingInvitation.objects.filter(status="sent").count() == 2
    assert console_errors == []

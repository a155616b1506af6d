"""The annual review (bilan): HTML and PDF, per partner and département-wide."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from relais.committee import services
from relais.committee.review import annual_review

from ..helpers import page_text
from ..monthly.helpers import CANARY_NOTE, monday_slot, record_march, sign_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(department, partner, place, other_place, advisor_user, coordinator):
    advisor = advisor_user.advisor
    sign_agreement(department, partner, place)
    monday_slot(place, advisor)
    record_march(advisor, place, other_place)
    meeting = services.meeting_create(
        user=coordinator, data={"date": date(2025, 6, 12), "agenda": "Bilan à mi-année"}
    )
    services.action_item_create(
        user=coordinator,
        meeting=meeting,
        data={"title": "Ouvrir une permanence le samedi", "owner_label": "Médiathèques",
              "partner": partner, "due_on": date(2025, 12, 31)},
    )  # fmt: skip
    services.action_item_create(
        user=coordinator,
        meeting=meeting,
        data={"title": "Former l'équipe à l'IA", "owner_label": "Département",
              "due_on": date(2025, 10, 1)},
    )  # fmt: skip


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_partner_review_figures(partner, year_2025):
    # The exact figures (the coordination's review); the others' are under disclosure control.
    review = annual_review(year=2025, partner=partner, today=date(2026, 1, 15), exact=True)
    assert review.totals.activities == 4  # 3 in March, 1 in April at the partner's place
    assert review.totals.accompaniments == 9
    # Mondays 10 and 17 March had activities during the permanence.
    assert review.figures["permanences"]["held_half_days"] == 2
    assert [a.title for a in review.actions] == ["Ouvrir une permanence le samedi"]
    assert set(review.charts) >= {"series", "themes", "ages", "held"}
    assert all(svg.startswith("<svg") for svg in review.charts.values())


def test_department_review_counts_every_partner_and_every_action(year_2025):
    review = annual_review(year=2025, exact=True)
    assert review.totals.activities == 5
    assert len(review.actions) == 2


def test_review_pdf_contains_the_key_figures(committee_client, partner, year_2025):
    response = committee_client.get(
        reverse("committee:review_pdf") + f"?annee=2025&structure={partner.pk}"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "Bilan 2025" in text and str(partner) in text
    assert "Chiffres clés" in text and "Couverture des engagements" in text
    # A committee member's copy: 4 activities is « secret statistique » (issue 20 §1).
    assert "4 activités" not in text.replace("\n", " ") and "secret statistique" in text
    assert "Ouvrir une permanence le samedi" in text
    assert CANARY_NOTE not in text


def test_the_coordinations_review_pdf_has_the_exact_figures(coordinator_client, partner, year_2025):
    response = coordinator_client.get(
        reverse("committee:review_pdf") + f"?annee=2025&structure={partner.pk}"
    )
    text = _pdf_text(response.content).replace("\n", " ")
    assert "4 activités" in text and "secret statistique" not in text


def test_review_page_embeds_charts_as_images(committee_client, year_2025):
    response = committee_client.get(reverse("committee:review") + "?annee=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    assert "<svg" not in html and "<style" not in html  # CSP: no inline style
    assert "Former l'équipe à l'IA" in page_text(response)


def test_partner_staff_get_their_own_review_only(partner_client, partner, other_partner):
    response = partner_client.get(
        reverse("committee:review") + f"?annee=2025&structure={other_partner.pk}"
    )
    assert response.status_code == 200
    assert str(partner) in page_text(response) and str(other_partner) not in page_text(response)


def test_advisers_have_no_review(advisor_client):
    assert advisor_client.get(reverse("committee:review")).status_code == 403

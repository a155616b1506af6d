import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from relais.accounts.enums import Role

from ..factories import AdvisorFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("team:list")


def test_team_list_and_filter(coordinator_client):
    AdvisorFactory(user__last_name="Pixel")
    AdvisorFactory(user__last_name="Wifi", kind="cnfs")
    page = coordinator_client.get(URL).content.decode()
    assert "Pixel" in page and "Wifi" in page
    assert "1 ambassadeur du numérique et 1 conseiller numérique France Services" in page
    page = coordinator_client.get(URL, {"statut": "cnfs"}).content.decode()
    assert "Wifi" in page and "Pixel" not in page


@pytest.mark.parametrize("persona", ["partner_client", "committee_client"])
def test_partner_staff_and_committee_cannot_see_names(request, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 403


def test_advisor_profile_validation():
    advisor = AdvisorFactory.build(user=UserFactory(role=Role.COORDINATOR))
    advisor.home_commune.save()
    with pytest.raises(ValidationError, match="Conseiller numérique"):
        advisor.full_clean()

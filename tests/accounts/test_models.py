import pytest
from django.core.exceptions import ValidationError

from relais.accounts import perms, services
from relais.accounts.enums import Role
from relais.accounts.models import User

from ..factories import DepartmentFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_create_normalises_email_and_validates():
    user = services.user_create(
        email="  Claire.Pilote@Exemple.TEST ",
        first_name="Claire",
        last_name="Pilote",
        role=Role.COORDINATOR,
    )
    assert user.email == "claire.pilote@exemple.test"
    assert not user.has_usable_password()  # activated through the reset e-mail


def test_partner_staff_needs_a_partner_organisation():
    with pytest.raises(ValidationError) as error:
        services.user_create(
            email="x@exemple.test", first_name="X", last_name="Y", role=Role.PARTNER_STAFF
        )
    assert "rattaché à sa structure" in str(error.value)
    with pytest.raises(ValidationError, match="ne peut pas être rattaché au Département"):
        services.user_create(
            email="y@exemple.test",
            first_name="X",
            last_name="Y",
            role=Role.PARTNER_STAFF,
            organisation=DepartmentFactory(),
        )
    assert not User.objects.exists()


def test_duplicate_email_in_another_case_is_refused():
    UserFactory(email="agent@exemple.test")
    with pytest.raises(ValidationError):
        services.user_create(
            email="AGENT@exemple.test", first_name="A", last_name="B", role=Role.COORDINATOR
        )


def test_only_administrators_reach_django_admin():
    assert UserFactory(role=Role.ADMINISTRATOR).is_staff
    for role in [Role.COORDINATOR, Role.ADVISOR, Role.COMMITTEE_MEMBER]:
        assert not UserFactory(role=role).is_staff
    assert not UserFactory(role=Role.PARTNER_STAFF, organisation=OrganisationFactory()).is_staff


def test_createsuperuser_makes_an_administrator():
    user = User.objects.create_superuser(
        "root@exemple.test", "un-mot-de-passe-long", first_name="R", last_name="T"
    )
    assert user.role == Role.ADMINISTRATOR and user.is_superuser and user.is_staff


def test_two_factor_reset_permissions():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    coordinator = UserFactory(role=Role.COORDINATOR)
    advisor = UserFactory(role=Role.ADVISOR)
    assert perms.can_reset_two_factor(coordinator, advisor)
    assert not perms.can_reset_two_factor(coordinator, admin)
    assert not perms.can_reset_two_factor(coordinator, coordinator)
    assert perms.can_reset_two_factor(admin, coordinator)
    assert not perms.can_reset_two_factor(advisor, coordinator)

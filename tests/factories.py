"""factory_boy factories of the shared models (core, accounts, places, team).

The other apps' factories live in ``tests/<app>/factories.py``; ``tests/test_factories.py``
checks that every model of ``relais`` has one that builds a valid row.
"""

from datetime import date
from decimal import Decimal

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.core.enums import OrganisationKind
from relais.core.models import Commune, Organisation
from relais.places.enums import PlaceKind
from relais.places.models import Place, PlaceChange
from relais.team.enums import AdvisorKind, LeaveKind, SkillKind
from relais.team.models import Advisor, Leave, Skill

TEST_PASSWORD = "mot-de-passe-de-test-42"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("department_code", "name")

    name = factory.Sequence(lambda n: f"Commune {n}")
    postal_code = "66500"
    department_code = "66"
    latitude = Decimal("42.61070")
    longitude = Decimal("2.42760")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.EPCI
    name = factory.Sequence(lambda n: f"Structure partenaire {n}")
    commune = factory.SubFactory(CommuneFactory)
    representative_name = "Jean TEST"
    representative_title = "Président"


class DepartmentFactory(OrganisationFactory):
    kind = OrganisationKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Département de test {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.COORDINATOR
    organisation = factory.Maybe(
        factory.LazyAttribute(lambda u: u.role == Role.PARTNER_STAFF),
        yes_declaration=factory.SubFactory(OrganisationFactory),
        no_declaration=None,
    )
    password = factory.django.Password(TEST_PASSWORD)


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Application d'authentification"
    confirmed = True


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Médiathèque {n}")
    slug = factory.Sequence(lambda n: f"mediatheque-{n}")
    kind = PlaceKind.MEDIA_LIBRARY
    # An active place has a street address (it is published in the open data).
    address = factory.Sequence(lambda n: f"{n + 1} place de la République")
    partner = factory.SubFactory(OrganisationFactory)
    commune = factory.SubFactory(CommuneFactory)
    is_public_and_accessible = True
    room_capacity = 8
    has_internet_and_wifi = True
    has_confidential_office = True
    has_computer = True
    has_printer_scanner = True
    has_photocopier = True
    has_phone = True


class AdvisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advisor

    user = factory.SubFactory(UserFactory, role=Role.ADVISOR)
    kind = AdvisorKind.AMBASSADOR
    home_commune = factory.SubFactory(CommuneFactory)


class PlaceChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlaceChange

    place = factory.SubFactory(PlaceFactory)
    user = factory.SubFactory(UserFactory)
    changes = factory.LazyFunction(
        lambda: [{"field": "phone", "label": "Téléphone", "old": "", "new": "0468000000"}]
    )


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Langue {n}")
    kind = SkillKind.LANGUAGE


class LeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leave

    advisor = factory.SubFactory(AdvisorFactory)
    kind = LeaveKind.PAID
    start_date = date(2026, 8, 3)
    end_date = date(2026, 8, 14)

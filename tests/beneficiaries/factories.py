"""Factories for beneficiaries (fictitious people)."""

import factory

from relais.beneficiaries.models import Beneficiary, BeneficiaryImport
from relais.beneficiaries.normalise import name_key

from ..factories import UserFactory


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Fictif{n}")
    birth_year = 1950
    gender = "female"
    social_status = "retired"
    name_key = factory.LazyAttribute(lambda b: name_key(b.last_name, b.first_name))


class BeneficiaryImportFactory(factory.django.DjangoModelFactory):
    """The record that an import file was read (single use: its key is the file's hash)."""

    class Meta:
        model = BeneficiaryImport

    key = factory.Sequence(lambda n: f"{n:064x}")
    imported_by = factory.SubFactory(UserFactory)
    row_count = 3

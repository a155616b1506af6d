"""Factories for beneficiaries (fictitious people)."""

import factory

from relais.beneficiaries.models import Beneficiary
from relais.beneficiaries.normalise import name_key


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Fictif{n}")
    birth_year = 1950
    gender = "female"
    social_status = "retired"
    name_key = factory.LazyAttribute(lambda b: name_key(b.last_name, b.first_name))

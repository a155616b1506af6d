"""Factory of the API tokens: the row only (``api_token_create`` gives the secret once)."""

from datetime import timedelta

import factory
from django.utils import timezone

from relais.accounts.enums import Role
from relais.api.enums import Scope
from relais.api.models import ApiToken
from relais.api.services import TOKEN_PREFIX, token_hash

from ..factories import UserFactory


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token reading the statistics, valid for a year. Its secret is ``secret``."""

    class Meta:
        model = ApiToken
        exclude = ("secret",)

    secret = factory.Sequence(lambda n: f"{TOKEN_PREFIX}secret-de-test-{n:06d}")
    name = "Tableau de bord open data"
    prefix = factory.LazyAttribute(lambda token: token.secret[: len(TOKEN_PREFIX) + 6])
    token_hash = factory.LazyAttribute(lambda token: token_hash(token.secret))
    scopes = factory.LazyFunction(lambda: [Scope.STATS_READ.value])
    created_by = factory.SubFactory(UserFactory, role=Role.ADMINISTRATOR)
    # The suite's frozen clock (tests/conftest.py): a year after any TEST_NOW, never expired.
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))

"""Factory of the secret links to an adviser's calendar feed (the row; the service issues the
secret)."""

import factory

from relais.public.models import FeedToken
from relais.public.services import token_digest

from ..factories import AdvisorFactory


class FeedTokenFactory(factory.django.DjangoModelFactory):
    """The link in use of a new adviser; its secret is ``secret``."""

    class Meta:
        model = FeedToken
        exclude = ("secret",)

    secret = factory.Sequence(lambda n: f"secret-de-test-{n:06d}")
    advisor = factory.SubFactory(AdvisorFactory)
    key = factory.Sequence(lambda n: f"{n:012x}")
    token_hash = factory.LazyAttribute(lambda token: token_digest(token.secret))

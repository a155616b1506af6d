import pytest

from .factories import WorkshopSessionFactory, WorkshopTopicFactory


@pytest.fixture
def topic(db):
    return WorkshopTopicFactory(title="Créer et gérer son adresse e-mail", slug="adresse-e-mail")


@pytest.fixture
def session(topic, place):
    return WorkshopSessionFactory(topic=topic, place=place)

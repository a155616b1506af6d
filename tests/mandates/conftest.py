import pytest


@pytest.fixture
def advisor(advisor_user):
    return advisor_user.advisor

"""Persona fixtures: one verified client per role, plus an outsider (another partner's staff)."""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache, caches
from django.test import Client

from relais.accounts.enums import Role

from .factories import (
    AdvisorFactory,
    CommuneFactory,
    DepartmentFactory,
    OrganisationFactory,
    PlaceFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from .helpers import login_verified

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# there are safe because each test owns its database connection.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The suite's clock. Every test starts at the same instant, whatever the real date: a test that
# passes today passes next month. CI runs the suite again at awkward instants (a Sunday,
# 29 February, New Year's Eve, a tacit-renewal day: `.ci/run`) by setting TEST_NOW, which catches
# tests that assume something of "today". The clock ticks, so durations and timeouts behave.
PARIS = ZoneInfo("Europe/Paris")
DEFAULT_TEST_NOW = "2026-11-24T10:00"  # a Tuesday morning, an ordinary working day


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


SUITE_NOW = _instant(os.environ.get("TEST_NOW") or DEFAULT_TEST_NOW)


def pytest_configure(config):
    # From the start, so that collection (module constants) and session fixtures (the live
    # server's thread included) see the suite's clock too.
    config._suite_clock = time_machine.travel(SUITE_NOW, tick=True)
    config._suite_clock.start()


def pytest_unconfigure(config):
    if clock := getattr(config, "_suite_clock", None):
        clock.stop()


@pytest.fixture(autouse=True)
def _test_clock(request):
    """Each test starts at the suite's instant, or at its own: ``@pytest.mark.now("2026-11-26")``.

    A test pins its own instant when it checks a hard-coded date (a notice received on a given
    day); it then runs at that instant on every CI pass, and the awkward instants test the rest.
    """
    marker = request.node.get_closest_marker("now")
    moment = _instant(marker.args[0]) if marker else SUITE_NOW
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache (locmem in the test settings) holds the public forms' rate-limit counters:
    each test starts with none."""
    cache.clear()
    caches["public_pages"].clear()  # the public pages kept by this process (ADR 0009)


@pytest.fixture
def department(db):
    return DepartmentFactory(name="Département des Pyrénées-Orientales")


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Médiathèques Conflent Canigó (test)")


@pytest.fixture
def other_partner(db):
    return OrganisationFactory(name="Autre structure (test)")


@pytest.fixture
def place(partner):
    return PlaceFactory(partner=partner, commune=CommuneFactory(name="Prades"))


@pytest.fixture
def other_place(other_partner):
    return PlaceFactory(partner=other_partner, commune=CommuneFactory(name="Céret"))


def _persona(role, **extra):
    user = UserFactory(role=role, **extra)
    device = TOTPDeviceFactory(user=user) if user.requires_two_factor else None
    return user, device


@pytest.fixture
def coordinator(department):
    return _persona(Role.COORDINATOR, organisation=department)[0]


@pytest.fixture
def advisor_user(db):
    advisor = AdvisorFactory()
    TOTPDeviceFactory(user=advisor.user)
    return advisor.user


@pytest.fixture
def advisor(advisor_user):
    """The adviser behind ``advisor_user`` (enrolled in 2FA), for services that take one."""
    return advisor_user.advisor


@pytest.fixture
def partner_staff(partner):
    return _persona(Role.PARTNER_STAFF, organisation=partner)[0]


@pytest.fixture
def outsider(other_partner):
    """Staff of another partner: authenticated, but no business with our partner's places."""
    return _persona(Role.PARTNER_STAFF, organisation=other_partner)[0]


@pytest.fixture
def committee_member(db):
    return _persona(Role.COMMITTEE_MEMBER)[0]


@pytest.fixture
def administrator(department):
    return _persona(Role.ADMINISTRATOR, organisation=department, is_superuser=True)[0]


def _client_for(user) -> Client:
    device = user.totpdevice_set.filter(confirmed=True).first()
    return login_verified(Client(), user, device)


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client logged in with both factors."""
    return _client_for


def _client_fixture(persona: str):
    """A fixture giving a client logged in with both factors as the ``persona`` fixture's user."""

    @pytest.fixture
    def logged_in(request):
        return _client_for(request.getfixturevalue(persona))

    logged_in.__doc__ = f"A test client logged in as ``{persona}``."
    return logged_in


coordinator_client = _client_fixture("coordinator")
advisor_client = _client_fixture("advisor_user")
partner_client = _client_fixture("partner_staff")
outsider_client = _client_fixture("outsider")
committee_client = _client_fixture("committee_member")
administrator_client = _client_fixture("administrator")

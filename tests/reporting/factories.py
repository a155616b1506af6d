"""Factories of the statistics' roll-up rows (each counts one 30-minute individual help of an
unknown profile) and of the roll-ups' state. The writes keep the real rows (``rollup``): build
these only to test a reader on rows of a known shape."""

from datetime import date

import factory
from django.utils import timezone

from relais.activities.enums import ActivityKind, Theme
from relais.reporting.enums import Grain
from relais.reporting.models import (
    LAYOUT,
    ActivityDailyStat,
    ActivityMonthlyStat,
    ActivityThemeDailyStat,
    ActivityThemeMonthlyStat,
    StatsRefresh,
)

from ..factories import AdvisorFactory, PlaceFactory

MARCH_2025 = date(2025, 3, 1)


class _OneIndividualHelp(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    kind = ActivityKind.INDIVIDUAL
    place = factory.SubFactory(PlaceFactory)
    activities = 1
    individual = 1
    accompaniments = 1
    minutes = 30
    gender_unknown = 1
    age_unknown = 1
    status_unknown = 1
    duration_30 = 1


class ActivityMonthlyStatFactory(_OneIndividualHelp):
    class Meta:
        model = ActivityMonthlyStat

    grain = Grain.FINE
    advisor = factory.SubFactory(AdvisorFactory)
    month = MARCH_2025


class ActivityThemeMonthlyStatFactory(ActivityMonthlyStatFactory):
    class Meta:
        model = ActivityThemeMonthlyStat

    theme = Theme.EMAIL


class ActivityDailyStatFactory(_OneIndividualHelp):
    class Meta:
        model = ActivityDailyStat

    grain = Grain.PLACE
    day = date(2025, 3, 10)


class ActivityThemeDailyStatFactory(ActivityDailyStatFactory):
    class Meta:
        model = ActivityThemeDailyStat

    theme = Theme.EMAIL


class StatsRefreshFactory(factory.django.DjangoModelFactory):
    """The singleton (pk 1): the roll-ups built with the current layout."""

    class Meta:
        model = StatsRefresh
        django_get_or_create = ("id",)

    id = 1
    layout = LAYOUT
    refreshed_at = factory.LazyFunction(timezone.now)

"""Factories of the monthly partner reports and of their reminders."""

from datetime import date

import factory

from relais.monthly.enums import ReminderKind
from relais.monthly.models import MonthlyReport, MonthlyReportReminder

from ..factories import OrganisationFactory, UserFactory

MARCH_2025 = date(2025, 3, 1)


class MonthlyReportFactory(factory.django.DjangoModelFactory):
    """The draft of a partner's March 2025 report (version 1)."""

    class Meta:
        model = MonthlyReport

    partner = factory.SubFactory(OrganisationFactory)
    month = MARCH_2025
    created_by = factory.SubFactory(UserFactory)


class MonthlyReportReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReportReminder

    partner = factory.SubFactory(OrganisationFactory)
    month = MARCH_2025
    kind = ReminderKind.NOT_SUBMITTED
    recipient = factory.Sequence(lambda n: f"conseiller{n}@exemple.test")

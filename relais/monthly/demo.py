"""Demo data: the partner's monthly reports (Art. 3.4). The past months are validated, the month
before last waits for the partner's validation, last month is left for an adviser to prepare.

Idempotent: reports are created only for months that have none.
"""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from relais.accounts.models import User
from relais.core.dates import month_start
from relais.core.demo import DEMO_EMAIL_DOMAIN, DemoContext

from .services import (
    monthly_report_create,
    monthly_report_current,
    monthly_report_submit,
    monthly_report_validate,
)


def load(ctx: DemoContext) -> None:
    partner_staff = User.objects.get(email=f"mediatheques@{DEMO_EMAIL_DOMAIN}")
    adviser = ctx.objects["advisors"][0].user
    partner = ctx.objects["partner"]
    this_month = month_start(timezone.localdate())
    for months_ago in range(12, 1, -1):
        month = this_month - relativedelta(months=months_ago)
        if monthly_report_current(partner=partner, month=month) is not None:
            continue
        report = monthly_report_create(partner=partner, month=month, user=adviser)
        report = monthly_report_submit(
            report=report, user=adviser,
            adviser_comment="Mois conforme au planning des permanences.",
        )  # fmt: skip
        if months_ago > 2:
            monthly_report_validate(report=report, user=partner_staff)

"""Reminders for late monthly reports (``relais send-report-reminders``, cron daily).

Thresholds (docs/operations.md):

* **not submitted**: the report of month M is not submitted (no report, a draft or a returned
  one) on the ``SUBMIT_BY_DAY``-th (10th) of month M+1 → the advisers who recorded activities
  at the partner's places in month M (the coordinators when nobody did);
* **not validated**: a submitted report still waits for validation ``VALIDATE_WITHIN_DAYS``
  (10) days after its submission → the partner's active staff accounts.

Months older than ``LOOKBACK_MONTHS`` (3) are left alone, so a first run does not send the
history. Concerned partners: those with an agreement in force on the first or last day of the
month, or with activities at their places that month. Each (partner, month, kind, version,
recipient) is e-mailed once: recorded in ``MonthlyReportReminder`` in the same transaction as
the sending, so a re-run sends nothing new and a failed sending is retried by the next run.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from relais.accounts.models import User
from relais.accounts.queries import coordinator_emails, emails_of, partner_staff_emails
from relais.agreements.models import Agreement
from relais.core.dates import month_end
from relais.core.french import of_month
from relais.core.models import Organisation
from relais.core.site import site_url
from relais.messaging.outbox import outbox_email

from .enums import ReminderKind, ReportStatus
from .figures import activities_between, previous_month
from .models import MonthlyReport, MonthlyReportReminder

SUBMIT_BY_DAY = 10
VALIDATE_WITHIN_DAYS = 10
LOOKBACK_MONTHS = 3


@dataclass(frozen=True)
class Reminder:
    partner: Organisation
    month: date
    kind: str
    version: int
    recipients: tuple[str, ...]
    report: MonthlyReport | None


def _concerned_partners(month: date) -> list[Organisation]:
    first, last = month, month_end(month)
    ids = set(
        activities_between(None, first, last)
        .filter(place__isnull=False)
        .values_list("place__partner_id", flat=True)
        .distinct()
    )
    for agreement in Agreement.objects.prefetch_related("signatories"):
        if agreement.timeline(first).is_in_force or agreement.timeline(last).is_in_force:
            ids.add(agreement.partner_id)
    return list(Organisation.objects.partners().filter(pk__in=ids).order_by("name"))


def _advisers_of(partner, month: date) -> tuple[str, ...]:
    advisor_ids = (
        activities_between(partner.places.all(), month, month_end(month))
        .values_list("advisor_id", flat=True)
        .distinct()
    )
    emails = emails_of(User.objects.filter(advisor__in=advisor_ids))
    return tuple(emails or coordinator_emails())


def _partner_staff(partner) -> tuple[str, ...]:
    return tuple(partner_staff_emails(partner.pk))


def due_reminders(today: date) -> list[Reminder]:
    """The reminders owed on ``today`` (sent or not yet)."""
    reminders = []
    month = previous_month(today)
    if today.day < SUBMIT_BY_DAY:
        month = previous_month(month)  # last month's report is not late yet
    months = []
    for _ in range(LOOKBACK_MONTHS):
        months.append(month)
        month = previous_month(month)
    for month in months:
        reports = {
            r.partner_id: r
            for r in MonthlyReport.objects.filter(month=month).current().select_related("partner")
        }
        for partner in _concerned_partners(month):
            report = reports.get(partner.pk)
            status = report.status if report else ReportStatus.DRAFT
            version = report.version if report else 0
            if status in {ReportStatus.DRAFT, ReportStatus.RETURNED}:
                kind, recipients = ReminderKind.NOT_SUBMITTED, _advisers_of(partner, month)
            elif status == ReportStatus.SUBMITTED and (
                report.submitted_at.date() + timedelta(days=VALIDATE_WITHIN_DAYS) <= today
            ):
                kind, recipients = ReminderKind.NOT_VALIDATED, _partner_staff(partner)
            else:
                continue
            if recipients:
                reminders.append(Reminder(partner, month, kind, version, recipients, report))
    return reminders


def reminder_message(reminder: Reminder) -> tuple[str, str]:
    period = of_month(reminder.month)  # « d'octobre 2026 », « de mars 2026 »
    if reminder.report is not None:
        link = site_url(reminder.report.get_absolute_url())
    else:
        link = site_url(reverse("monthly:list") + f"?mois={reminder.month:%Y-%m}")
    if reminder.kind == ReminderKind.NOT_SUBMITTED:
        subject = f"[Relais] Compte rendu {period} à transmettre — {reminder.partner}"
        what = (
            f"Le compte rendu d'activité {period} pour {reminder.partner} n'a pas encore été "
            f"transmis (attendu le {SUBMIT_BY_DAY} du mois suivant)."
        )
    else:
        subject = f"[Relais] Compte rendu {period} à valider — {reminder.partner}"
        what = (
            f"Le compte rendu d'activité {period} attend votre validation depuis plus de "
            f"{VALIDATE_WITHIN_DAYS} jours (art. 3.4 de la convention : la structure s'assure "
            "de la fiabilité des informations transmises)."
        )
    body = "\n".join(
        [
            "Bonjour,",
            "",
            what,
            "",
            f"Ouvrir le compte rendu : {link}",
            "",
            "—",
            f"Relais, plateforme de l'inclusion numérique du {settings.RELAIS_DEPARTMENT_NAME}. "
            "Message automatique, envoyé une seule fois pour ce compte rendu.",
        ]
    )
    return subject, body


def send_reminders(*, today: date, dry_run: bool = False) -> tuple[int, int]:
    """Send the owed reminders once each; returns (sent, already sent)."""
    sent = already = 0
    for reminder in due_reminders(today):
        subject, body = reminder_message(reminder)
        for recipient in reminder.recipients:
            key = {
                "partner": reminder.partner,
                "month": reminder.month,
                "kind": reminder.kind,
                "version": reminder.version,
                "recipient": recipient,
            }
            if dry_run:
                if MonthlyReportReminder.objects.filter(**key).exists():
                    already += 1
                else:
                    sent += 1
                continue
            with transaction.atomic():
                _, created = MonthlyReportReminder.objects.get_or_create(**key)
                if created:  # the e-mail is committed with its record, sent by the outbox
                    outbox_email(to=recipient, subject=subject, body=body)
            sent, already = (sent + 1, already) if created else (sent, already + 1)
    return sent, already

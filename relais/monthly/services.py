"""Writes to the monthly partner reports (``monthly.MonthlyReport``; workflow in its docstring).

draft ──submit (adviser)──▶ submitted ──validate (partner staff)──▶ validated (locked)
  ▲                            │
  └──── (edit, resubmit) ◀── returned (partner staff, with a comment)

A validated report is never written again; ``monthly_report_correct`` starts version n+1 as a
draft, which goes through the same workflow. The figures are computed at each submission and
frozen from then on.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.core.dates import month_start
from relais.core.perms import require

from . import perms
from .enums import ReportStatus
from .figures import monthly_figures
from .models import MonthlyReport, ReportLocked

EDITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def _check_not_locked(report: MonthlyReport) -> None:
    if report.is_locked:
        raise ReportLocked(
            "Ce compte rendu est validé : il ne peut plus être modifié. "
            "Une correction se fait par une nouvelle version."
        )


def _save(report: MonthlyReport) -> MonthlyReport:
    report.full_clean()
    report.save()
    return report


def monthly_report_current(*, partner, month: date) -> MonthlyReport | None:
    return (
        MonthlyReport.objects.filter(partner=partner, month=month_start(month))
        .order_by("-version")
        .first()
    )


def monthly_report_create(*, partner, month: date, user) -> MonthlyReport:
    """Open the draft of a partner's month (or return the current version when one exists)."""
    require(perms.can_prepare(user))
    month = month_start(month)
    if month > month_start(timezone.localdate()):
        raise ValidationError({"month": "Un compte rendu porte sur un mois commencé."})
    if partner.is_department:
        raise ValidationError({"partner": "Le compte rendu concerne une structure partenaire."})
    current = monthly_report_current(partner=partner, month=month)
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return _save(MonthlyReport(partner=partner, month=month, version=1, created_by=user))
    except IntegrityError:  # created meanwhile by someone else
        return monthly_report_current(partner=partner, month=month)


def monthly_report_update(*, report: MonthlyReport, user, adviser_comment: str) -> MonthlyReport:
    require(perms.can_prepare(user))
    _check_not_locked(report)
    if report.status not in EDITABLE:
        raise ValidationError("Ce compte rendu est en attente de validation par la structure.")
    report.adviser_comment = adviser_comment.strip()
    return _save(report)


def monthly_report_submit(
    *, report: MonthlyReport, user, adviser_comment: str | None = None, today=None
) -> MonthlyReport:
    """Freeze the figures and hand the report to the partner's staff for validation."""
    require(perms.can_prepare(user))
    _check_not_locked(report)
    if report.status not in EDITABLE:
        raise ValidationError("Ce compte rendu a déjà été transmis.")
    if adviser_comment is not None:
        report.adviser_comment = adviser_comment.strip()
    report.figures = monthly_figures(partner=report.partner, month=report.month, today=today)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), user
    report.return_comment = ""
    return _save(report)


def monthly_report_validate(*, report: MonthlyReport, user) -> MonthlyReport:
    """The partner certifies the report (« responsable de la fiabilité »): it is locked."""
    require(perms.can_validate(user, report))
    _check_not_locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("Seul un compte rendu transmis peut être validé.")
    report.status = ReportStatus.VALIDATED
    report.validated_at, report.validated_by = timezone.now(), user
    return _save(report)


def monthly_report_return(*, report: MonthlyReport, user, comment: str) -> MonthlyReport:
    require(perms.can_validate(user, report))
    _check_not_locked(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("Seul un compte rendu transmis peut être renvoyé.")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Expliquez ce qui doit être corrigé."})
    report.status = ReportStatus.RETURNED
    report.return_comment = comment
    report.returned_at, report.returned_by = timezone.now(), user
    return _save(report)


def monthly_report_correct(*, report: MonthlyReport, user) -> MonthlyReport:
    """A correction of a validated report: version n+1, a draft; version n stays as it was."""
    require(perms.can_prepare(user))
    if not report.is_locked:
        raise ValidationError("Seul un compte rendu validé se corrige par une nouvelle version.")
    current = monthly_report_current(partner=report.partner, month=report.month)
    if current.pk != report.pk:
        raise ValidationError("Une version plus récente de ce compte rendu existe déjà.")
    with transaction.atomic():
        return _save(
            MonthlyReport(
                partner=report.partner,
                month=report.month,
                version=report.version + 1,
                adviser_comment=report.adviser_comment,
                corrects=report,
                created_by=user,
            )
        )

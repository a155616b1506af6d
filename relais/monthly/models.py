"""The partners' monthly activity reports (« comptes rendus d'activité », convention art. 3.4).

Generated per partner and month from the activities, submitted by an adviser, validated (or
returned with a comment) by the partner's staff, who « s'assure de la bonne fréquence des
comptes-rendus et est responsable de la fiabilité des informations transmises ». The figures are
a JSON snapshot taken at submission (``figures.period_figures``), so a validated report never
changes when activities are edited later. A validated report is locked: ``save()`` refuses to
write it again, and a correction is a new version (the current report of a month is its
highest version).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .enums import ReminderKind, ReportStatus
from .figures import month_label


class ReportLocked(ValidationError):
    """Raised when something tries to change a validated monthly report."""


class MonthlyReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Partner staff see their structure's reports only; Département staff see all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_partner_staff:
            return self.filter(partner_id=user.organisation_id)
        if user.role in {"coordinator", "advisor", "administrator"}:
            return self
        return self.none()

    def current(self):
        """The latest version of each (partner, month)."""
        newer = MonthlyReport.objects.filter(
            partner_id=models.OuterRef("partner_id"),
            month=models.OuterRef("month"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))


class MonthlyReport(models.Model):
    """One version of a partner's activity report for one month (see the module docstring)."""

    partner = models.ForeignKey(
        "core.Organisation",
        verbose_name="structure",
        on_delete=models.PROTECT,
        related_name="monthly_reports",
    )
    month = models.DateField("mois", help_text="Premier jour du mois.")
    version = models.PositiveSmallIntegerField("version", default=1)
    status = models.CharField(
        "état", max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    figures = models.JSONField("chiffres", default=dict, blank=True)
    adviser_comment = models.TextField(
        "commentaire du conseiller",
        blank=True,
        help_text="Faits marquants du mois, sans nommer de personne accompagnée.",
    )
    return_comment = models.TextField("motif du renvoi", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField("transmis le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="transmis par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField("renvoyé le", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="renvoyé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    corrects = models.OneToOneField(
        "self",
        verbose_name="corrige la version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
    )

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        # The table keeps its first app's name: the model moved here from ``committee``
        # without a database change (its tables kept their names).
        db_table = "committee_monthlyreport"
        verbose_name = "compte rendu mensuel"
        verbose_name_plural = "comptes rendus mensuels"
        ordering = ["-month", "partner__name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "month", "version"], name="monthly_report_one_per_version"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="monthly_report_version"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="monthly_report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="monthly_report_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.VALIDATED) | Q(validated_at__isnull=False),
                name="monthly_report_validated_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_comment=""),
                name="monthly_report_returned_has_comment",
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="monthly_report_month")]

    def __str__(self) -> str:
        return f"Compte rendu {self.month_label} — {self.partner} (v{self.version})"

    def save(self, *args, **kwargs):
        # The lock, below the services: a validated row is never written again.
        if (
            self.pk
            and MonthlyReport.objects.filter(pk=self.pk, status=ReportStatus.VALIDATED).exists()
        ):
            raise ReportLocked(
                "Ce compte rendu est validé : il ne peut plus être modifié. "
                "Une correction se fait par une nouvelle version."
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("monthly:detail", args=[self.pk])

    @property
    def month_label(self) -> str:
        return month_label(self.month)

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.VALIDATED

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "Le mois est enregistré au premier jour du mois."})


class MonthlyReportReminder(models.Model):
    """One reminder e-mailed about one late report, so a re-run never sends it twice."""

    partner = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="structure"
    )
    month = models.DateField("mois")
    kind = models.CharField("relance", max_length=20, choices=ReminderKind.choices)
    version = models.PositiveSmallIntegerField("version", default=0)
    recipient = models.EmailField("destinataire")
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        db_table = "committee_monthlyreportreminder"
        verbose_name = "relance de compte rendu"
        verbose_name_plural = "relances de comptes rendus"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "month", "kind", "version", "recipient"],
                name="monthly_reminder_sent_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.month:%m/%Y} → {self.recipient}"

"""The Département's team of advisers (ambassadors and CnFS)."""

from django.conf import settings
from django.db import models

from relais.core.models import TimeStampedModel

from .enums import AdvisorKind


class AdvisorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(user__is_active=True)

    def with_user(self):
        return self.select_related("user", "home_commune")


class Advisor(TimeStampedModel):
    """An adviser of the team. Name and e-mail live on the linked staff account.

    Personal data (work profile of an employee) kept while employed; see the retention table.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.PROTECT,
        related_name="advisor",
    )
    kind = models.CharField("statut", max_length=20, choices=AdvisorKind.choices)
    home_commune = models.ForeignKey(
        "core.Commune",
        verbose_name="résidence administrative",
        on_delete=models.PROTECT,
        related_name="advisors",
    )
    contract_start = models.DateField("début de contrat", null=True, blank=True)
    contract_end = models.DateField(
        "fin de contrat",
        null=True,
        blank=True,
        help_text="Les conseillers numériques France Services ont un contrat de projet de 3 ans.",
    )

    objects = AdvisorQuerySet.as_manager()

    class Meta:
        verbose_name = "conseiller"
        verbose_name_plural = "conseillers"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.user_id and self.user.role != "advisor":
            errors["user"] = (
                "Le compte d'un conseiller doit avoir le rôle « Conseiller numérique »."
            )
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            errors["contract_end"] = "La fin de contrat doit suivre le début de contrat."
        if errors:
            raise ValidationError(errors)

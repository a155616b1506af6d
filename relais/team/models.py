"""The Département's team of advisers (ambassadors and CnFS), their skills and their leave."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from relais.core import french
from relais.core.models import TimeStampedModel, entered_by
from relais.core.validators import validate_plausible_date

from .enums import AdvisorKind, HalfDay, LeaveKind, SkillKind, TrainingStatus, Weekday

# Where a morning ends for leave: a half-day of leave "am" covers up to 13:00, "pm" from 13:00.
AFTERNOON_STARTS = time(13, 0)
FULL_TIME_HOURS = Decimal("35")


def default_working_days() -> list[int]:
    return [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]


class AdvisorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(user__is_active=True)

    def with_user(self):
        return self.select_related("user", "home_commune")

    def under_contract_on(self, day: date):
        """Advisers whose contract covers ``day`` (an open start or end counts as covering)."""
        return self.filter(
            Q(contract_start__isnull=True) | Q(contract_start__lte=day),
            Q(contract_end__isnull=True) | Q(contract_end__gte=day),
        )


class Skill(models.Model):
    """A language or a habilitation (e.g. « Aidants Connect ») some advisers hold."""

    name = models.CharField("intitulé", max_length=80, unique=True)
    kind = models.CharField("type", max_length=20, choices=SkillKind.choices)

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Advisor(TimeStampedModel):
    """An adviser of the team. Name and e-mail live on the linked staff account.

    Personal data (work profile of an employee: contract, training, working time, skills) kept
    while employed, then deleted with the account; see the retention table.
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
    contract_start = models.DateField(
        "début de contrat", null=True, blank=True, validators=[validate_plausible_date]
    )
    contract_end = models.DateField(
        "fin de contrat",
        null=True,
        blank=True,
        help_text="Les conseillers numériques France Services ont un contrat de projet de 3 ans.",
        validators=[validate_plausible_date],
    )
    training_status = models.CharField(
        "formation certifiante",
        max_length=20,
        choices=TrainingStatus.choices,
        default=TrainingStatus.NOT_STARTED,
    )
    training_date = models.DateField(
        "date de certification",
        null=True,
        blank=True,
        help_text="Date d'obtention de la certification (ou de début de la formation en cours).",
        validators=[validate_plausible_date],
    )
    weekly_hours = models.DecimalField(
        "temps de travail hebdomadaire (heures)",
        max_digits=4,
        decimal_places=1,
        default=FULL_TIME_HOURS,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("48"))],
    )
    working_days = models.JSONField(
        "jours travaillés",
        default=default_working_days,
        help_text="Jours de la semaine travaillés (temps partiel possible).",
    )
    skills = models.ManyToManyField(
        Skill, verbose_name="compétences", blank=True, related_name="advisors"
    )

    objects = AdvisorQuerySet.as_manager()

    class Meta:
        verbose_name = "conseiller"
        verbose_name_plural = "conseillers"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name()

    @property
    def title(self) -> str:
        """The status in the form the adviser chose: « Ambassadrice du numérique »,
        « Conseiller numérique France Services », or both forms when none is chosen."""
        return french.person_title(self.kind, self.user.title_form)

    @property
    def working_days_display(self) -> str:
        labels = dict(Weekday.choices)
        return ", ".join(labels[day] for day in sorted(self.working_days or []))

    @property
    def is_part_time(self) -> bool:
        return self.weekly_hours < FULL_TIME_HOURS

    def works_on(self, day: date) -> bool:
        """Whether ``day`` is one of the adviser's working days and within the contract."""
        if day.weekday() not in (self.working_days or []):
            return False
        if self.contract_start and day < self.contract_start:
            return False
        return not (self.contract_end and day > self.contract_end)

    def clean(self) -> None:
        errors = {}
        if self.user_id and self.user.role != "advisor":
            errors["user"] = (
                "Le compte d'un conseiller doit avoir le rôle « Conseiller numérique »."
            )
        if self.contract_start and self.contract_end and self.contract_end < self.contract_start:
            errors["contract_end"] = "La fin de contrat doit suivre le début de contrat."
        days = self.working_days
        if not isinstance(days, list) or any(day not in Weekday.values for day in days):
            errors["working_days"] = "Jours travaillés invalides."
        elif not days:
            errors["working_days"] = "Indiquez au moins un jour travaillé."
        else:
            self.working_days = sorted(set(days))
        if self.training_status == TrainingStatus.CERTIFIED and not self.training_date:
            errors["training_date"] = "Indiquez la date de certification."
        if errors:
            raise ValidationError(errors)


class LeaveQuerySet(models.QuerySet):
    def overlapping(self, start: date, end: date):
        """Leave touching at least one day of ``start``…``end`` (inclusive)."""
        return self.filter(start_date__lte=end, end_date__gte=start)


class Leave(TimeStampedModel):
    """A leave or absence of an adviser, to the half-day.

    Personal data of an employee; the kind « arrêt maladie » is sensitive, so leave is shown
    only to coordinators and to the adviser concerned, and the note must never hold a medical
    reason. Kept for the current and the previous calendar year (planning and working-time
    records), then deleted.
    """

    advisor = models.ForeignKey(
        Advisor, verbose_name="conseiller", on_delete=models.CASCADE, related_name="leaves"
    )
    kind = models.CharField("type d'absence", max_length=20, choices=LeaveKind.choices)
    start_date = models.DateField("du", validators=[validate_plausible_date])
    start_half = models.CharField(
        "à partir du", max_length=2, choices=HalfDay.choices, default=HalfDay.MORNING
    )
    end_date = models.DateField("au", validators=[validate_plausible_date])
    end_half = models.CharField(
        "jusqu'au", max_length=2, choices=HalfDay.choices, default=HalfDay.AFTERNOON
    )
    note = models.CharField(
        "remarque",
        max_length=200,
        blank=True,
        help_text="Jamais de motif médical.",
    )
    created_by = entered_by("saisie par")

    objects = LeaveQuerySet.as_manager()

    class Meta:
        verbose_name = "absence"
        verbose_name_plural = "absences"
        ordering = ["start_date", "start_half", "advisor"]

    def __str__(self) -> str:
        return f"{self.advisor} : {self.get_kind_display()} ({self.period_display})"

    @property
    def period_display(self) -> str:
        start = f"{self.start_date:%d/%m/%Y}"
        end = f"{self.end_date:%d/%m/%Y}"
        if self.start_half == HalfDay.AFTERNOON:
            start += " après-midi"
        if self.end_half == HalfDay.MORNING:
            end += " matin"
        if self.start_date == self.end_date:
            if self.start_half == self.end_half:
                return f"le {start if self.start_half == HalfDay.AFTERNOON else end}"
            return f"le {self.start_date:%d/%m/%Y}"
        return f"du {start} au {end}"

    @property
    def starts_at(self) -> datetime:
        """Start as a naive local datetime (midnight, or 13:00 for an afternoon start)."""
        moment = AFTERNOON_STARTS if self.start_half == HalfDay.AFTERNOON else time(0)
        return datetime.combine(self.start_date, moment)

    @property
    def ends_at(self) -> datetime:
        """End (exclusive) as a naive local datetime (13:00 for a morning end, else midnight)."""
        if self.end_half == HalfDay.MORNING:
            return datetime.combine(self.end_date, AFTERNOON_STARTS)
        return datetime.combine(self.end_date + timedelta(days=1), time(0))

    def covers(self, day: date, start: time, end: time) -> bool:
        """Whether the adviser is away for any part of ``start``–``end`` on ``day``."""
        return (
            self.starts_at < datetime.combine(day, end)
            and datetime.combine(day, start) < self.ends_at
        )

    def clean(self) -> None:
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                raise ValidationError({"end_date": "La fin de l'absence précède son début."})
            if (
                self.start_date == self.end_date
                and self.start_half == HalfDay.AFTERNOON
                and self.end_half == HalfDay.MORNING
            ):
                raise ValidationError(
                    {
                        "end_half": "Une absence d'un seul jour ne peut pas finir le matin "
                        "si elle commence l'après-midi."
                    }
                )

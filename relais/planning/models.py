"""Recurring permanences (slots), exceptional closures of places, one-off exceptions.

Dated occurrences are *not* stored: :func:`relais.planning.occurrences.occurrences_between`
computes them from the slots, the calendar (public and school holidays), the closures, the
leave and the exceptions. Storing them would mean regenerating rows each time any of these
changes (a leave recorded, a holiday calendar updated, a slot's end date moved) and keeping two
truths in step; computing them keeps one source. Only what cannot be computed — a one-off
cancellation or replacement on a date — is stored, as an :class:`OccurrenceException`.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from relais.core import french
from relais.core.dates import monday_of
from relais.core.models import TimeStampedModel, entered_by
from relais.core.validators import validate_plausible_date

from .enums import ExceptionKind, MonthWeek, Recurrence, Weekday
from .periods import agreement_period_problem


class SlotQuerySet(models.QuerySet):
    def valid_between(self, start: date, end: date):
        """Slots with at least one day of validity in ``start``…``end``."""
        return self.filter(valid_from__lte=end).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=start)
        )

    def with_related(self):
        return self.select_related(
            "place__commune", "place__partner", "commitment"
        ).prefetch_related("advisors__user", "advisors__home_commune")


class Slot(TimeStampedModel):
    """A recurring weekly window at a place (« permanence »), held by one or more advisers."""

    place = models.ForeignKey(
        "places.Place", verbose_name="lieu", on_delete=models.PROTECT, related_name="slots"
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    start_time = models.TimeField("début")
    end_time = models.TimeField("fin")
    recurrence = models.CharField(
        "récurrence", max_length=12, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    anchor_date = models.DateField(
        "semaine de référence",
        null=True,
        blank=True,
        help_text="Une semaine sur deux : une date d'une semaine où la permanence a lieu "
        "(par défaut, la date de début).",
        validators=[validate_plausible_date],
    )
    month_week = models.SmallIntegerField(
        "rang dans le mois",
        choices=MonthWeek.choices,
        null=True,
        blank=True,
        help_text="Une fois par mois : le premier, deuxième… ou dernier jour du mois choisi.",
    )
    valid_from = models.DateField("à partir du", validators=[validate_plausible_date])
    valid_until = models.DateField(
        "jusqu'au", null=True, blank=True, validators=[validate_plausible_date]
    )
    advisors = models.ManyToManyField(
        "team.Advisor", verbose_name="conseillers", related_name="slots"
    )
    commitment = models.ForeignKey(
        "agreements.Commitment",
        verbose_name="engagement de la convention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="slots",
    )
    respect_school_holidays = models.BooleanField(
        "suspendue pendant les vacances scolaires (zone C)", default=False
    )
    note = models.CharField("remarque", max_length=200, blank=True)
    created_by = entered_by("créée par")

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = "permanence"
        verbose_name_plural = "permanences"
        ordering = ["place__name", "weekday", "start_time"]

    def __str__(self) -> str:
        return f"{self.place} · {self.schedule_display}"

    def get_absolute_url(self) -> str:
        return reverse("planning:slot_detail", kwargs={"pk": self.pk})

    @property
    def schedule_display(self) -> str:
        day = self.get_weekday_display()
        hours = french.french_time_range(self.start_time, self.end_time)
        if self.recurrence == Recurrence.FORTNIGHTLY:
            return f"{day} {hours}, une semaine sur deux"
        if self.recurrence == Recurrence.MONTHLY and self.month_week:
            return f"le {MonthWeek(self.month_week).label} {day} du mois, {hours}"
        return f"chaque {day}, {hours}"

    @property
    def duration_hours(self) -> float:
        minutes = (self.end_time.hour * 60 + self.end_time.minute) - (
            self.start_time.hour * 60 + self.start_time.minute
        )
        return minutes / 60

    def falls_on(self, day: date) -> bool:
        """Whether the recurrence rule gives an occurrence on ``day`` (calendar not applied)."""
        if day.weekday() != self.weekday or day < self.valid_from:
            return False
        if self.valid_until and day > self.valid_until:
            return False
        if self.recurrence == Recurrence.FORTNIGHTLY:
            anchor = monday_of(self.anchor_date or self.valid_from)
            return ((monday_of(day) - anchor).days // 7) % 2 == 0
        if self.recurrence == Recurrence.MONTHLY:
            if self.month_week == MonthWeek.LAST:
                return (day + timedelta(days=7)).month != day.month
            return self.month_week is not None and (day.day - 1) // 7 + 1 == self.month_week
        return True

    def clean(self) -> None:
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = "La fin doit suivre le début."
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = "La date de fin précède la date de début."
        if self.recurrence == Recurrence.MONTHLY and not self.month_week:
            errors["month_week"] = "Choisissez le rang du jour dans le mois (premier… dernier)."
        if self.recurrence != Recurrence.MONTHLY:
            self.month_week = None
        if self.recurrence != Recurrence.FORTNIGHTLY:
            self.anchor_date = None
        if self.commitment_id and self.place_id and self.commitment.place_id != self.place_id:
            errors["commitment"] = "Cet engagement concerne un autre lieu."
        if errors:
            raise ValidationError(errors)
        if self.place_id and self.valid_from:
            problem = agreement_period_problem(self.place, self.valid_from, self.valid_until)
            if problem:
                raise ValidationError({"valid_from": problem})


class Closure(TimeStampedModel):
    """An exceptional closure of a place (works, inventory…): no permanence is held."""

    place = models.ForeignKey(
        "places.Place", verbose_name="lieu", on_delete=models.CASCADE, related_name="closures"
    )
    start_date = models.DateField("du", validators=[validate_plausible_date])
    end_date = models.DateField("au", validators=[validate_plausible_date])
    reason = models.CharField("motif", max_length=200)
    created_by = entered_by("saisie par")

    class Meta:
        verbose_name = "fermeture exceptionnelle"
        verbose_name_plural = "fermetures exceptionnelles"
        ordering = ["start_date", "place__name"]

    def __str__(self) -> str:
        return f"{self.place} fermé {self.period_display} ({self.reason})"

    @property
    def period_display(self) -> str:
        if self.start_date == self.end_date:
            return f"le {self.start_date:%d/%m/%Y}"
        return f"du {self.start_date:%d/%m/%Y} au {self.end_date:%d/%m/%Y}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "La fin de la fermeture précède son début."})


class OccurrenceException(TimeStampedModel):
    """A one-off change to one dated occurrence of a slot: cancelled, or held by others."""

    slot = models.ForeignKey(
        Slot, verbose_name="permanence", on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField("date", validators=[validate_plausible_date])
    kind = models.CharField("type", max_length=12, choices=ExceptionKind.choices)
    replacement_advisors = models.ManyToManyField(
        "team.Advisor", verbose_name="conseillers remplaçants", blank=True, related_name="+"
    )
    reason = models.CharField("motif", max_length=200, blank=True)
    created_by = entered_by("saisie par")

    class Meta:
        verbose_name = "exception de permanence"
        verbose_name_plural = "exceptions de permanence"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "date"], name="occurrence_exception_once")
        ]

    def __str__(self) -> str:
        return f"{self.slot.place} le {self.date:%d/%m/%Y} : {self.get_kind_display()}"

    def clean(self) -> None:
        if self.slot_id and self.date and not self.slot.falls_on(self.date):
            raise ValidationError({"date": f"La permanence n'a pas lieu le {self.date:%d/%m/%Y}."})
        if self.kind == ExceptionKind.CANCELLATION and not self.reason:
            raise ValidationError({"reason": "Indiquez le motif de l'annulation."})


class WeekVisit(models.Model):
    """When an adviser last opened « Ma semaine », to list what changed since.

    Personal data (a connection time), kept while the adviser's profile exists.
    """

    advisor = models.OneToOneField(
        "team.Advisor", on_delete=models.CASCADE, related_name="week_visit"
    )
    visited_at = models.DateTimeField("dernière visite")

    class Meta:
        verbose_name = "visite de « Ma semaine »"

    def __str__(self) -> str:
        return f"{self.advisor} · {french.short_datetime(self.visited_at)}"


class PlanRun(TimeStampedModel):
    """One run of the planner (« Calculer un planning »): its request, progress and result.

    The solve runs in a ``relais worker`` (task ``planning.tasks.plan_run_task``); the row is
    how the progress page (polled by any web worker) follows it. ``result`` is
    :meth:`relais.planning.planner.PlanResult.to_dict` plus the names of the places and
    advisers it mentions, so the page reads as it did when computed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        RUNNING = "running", "Calcul en cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    week_start = models.DateField("semaine du", validators=[validate_plausible_date])
    status = models.CharField("état", max_length=10, choices=Status.choices, default="pending")
    time_limit = models.PositiveSmallIntegerField("durée de calcul maximale (s)", default=10)
    outside_hours = models.BooleanField("hors horaires d'ouverture si nécessaire", default=False)
    # The coordinator's choice for this run; RELAIS_PLANNER_SPLIT_DAYS only ticks the box.
    split_days = models.BooleanField("journées fractionnables", default=False)
    pins = models.JSONField("choix imposés", default=list, blank=True)
    progress = models.CharField("avancement", max_length=300, blank=True)
    result = models.JSONField("résultat", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    created_by = entered_by("lancé par")

    class Meta:
        verbose_name = "calcul de planning"
        verbose_name_plural = "calculs de planning"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Planning de la semaine du {self.week_start:%d/%m/%Y} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

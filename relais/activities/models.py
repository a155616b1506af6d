"""Activities (« accompagnements », comptes rendus d'activité) recorded by the advisers.

Storage choices, for the statistics, exports and API built on top:

* **Who was helped is always a set of anonymous counts on the row.** ``participants_count`` and
  three breakdowns (``gender_*``, ``age_*``, ``status_*`` columns, one per value of the Coop's
  vocabulary) that each sum to it — checked by the database. An individual activity is a
  one-person count (``participants_count = 1``, a 1 in one column of each breakdown), copied
  from the beneficiary when there is one. So every figure is a ``Sum()`` over one table, with
  no join and no special case per kind, and deleting a beneficiary loses no figure.
* **Themes are rows of ActivityTheme** (activity, theme value), with the values of
  ``enums.Theme``: no JSON (``contains`` on JSON is unsupported on SQLite) and no seeded Theme
  table to keep in sync; counting per theme is one indexed ``GROUP BY`` on both SQLite and
  PostgreSQL.
* **Equipment is one boolean column per value** (five values, « pas de matériel » excluding the
  others, checked by the database).

Personal data: ``private_notes`` (free text about a person) and the link to a beneficiary.
Retention: notes are kept as long as the activity; the activity itself is anonymous once the
beneficiary is purged (24 months after their last activity, see relais.beneficiaries.models).
``private_notes`` is shown to the author only and never exported to anybody else: every read
goes through ``queries.private_notes_for(viewer, activity)``.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from relais.core.models import TimeStampedModel
from relais.core.validators import validate_programme_date

from .enums import (
    ALL_COUNT_FIELDS,
    BREAKDOWNS,
    MAX_DURATION_MINUTES,
    MAX_PARTICIPANTS,
    ActivityKind,
    Autonomy,
    Equipment,
    Level,
    LocationKind,
    Referral,
    Theme,
    count_field,
    count_fields,
    duration_label,
)

PERSONAL_DATA = (
    "Activity.private_notes (author only, never exported) and Activity.beneficiary. "
    "Retention: the link is removed when the beneficiary is purged (24 months after their last "
    "activity); notes live as long as the activity."
)
EQUIPMENT_FIELDS = {value: f"equipment_{value}" for value in Equipment.values}


PARTICIPANTS_MESSAGE = (
    f"Indiquez un nombre de participants entre 1 et {MAX_PARTICIPANTS} : vérifiez le nombre saisi."
)
COUNT_MESSAGE = f"Indiquez un nombre entre 0 et {MAX_PARTICIPANTS}."
DURATION_MESSAGE = f"Indiquez une durée entre 1 et {MAX_DURATION_MINUTES} minutes."
ONE_REPORT_PER_SESSION = "Cette séance d'atelier a déjà son compte rendu."


def _count_column(prefix: str, value: str) -> models.PositiveIntegerField:
    # Bounded like the total they add up to: on SQLite nothing else would stop 10^11.
    label = dict(BREAKDOWNS[prefix].choices)[value]
    return models.PositiveIntegerField(
        f"{prefix} : {label}",
        default=0,
        validators=[MaxValueValidator(MAX_PARTICIPANTS, message=COUNT_MESSAGE)],
    )


def _sum_equals_participants(prefix: str) -> Q:
    total = None
    for name in count_fields(prefix):
        total = F(name) if total is None else total + F(name)
    return Q(participants_count=total)


class ActivityQuerySet(models.QuerySet):
    def of_advisor(self, advisor):
        return self.filter(advisor=advisor)

    def individual(self):
        return self.filter(kind=ActivityKind.INDIVIDUAL)

    def collective(self):
        return self.filter(kind=ActivityKind.COLLECTIVE)

    def without_personal_data(self):
        """Rows for aggregate pages and exports: no notes, no link to a person."""
        return self.defer("private_notes", "beneficiary")


class Activity(TimeStampedModel):
    """One individual help session or one collective workshop, as the Coop records it.

    Personal data: ``private_notes`` and ``beneficiary`` (see the module docstring).
    """

    advisor = models.ForeignKey(
        "team.Advisor", verbose_name="conseiller", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type", max_length=10, choices=ActivityKind.choices)
    date = models.DateField("date", validators=[validate_programme_date])
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)",
        validators=[
            MinValueValidator(1, message=DURATION_MESSAGE),
            MaxValueValidator(MAX_DURATION_MINUTES, message=DURATION_MESSAGE),
        ],
    )
    location_kind = models.CharField(
        "lieu", max_length=10, choices=LocationKind.choices, default=LocationKind.PLACE
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name="lieu d'activité",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Individual activities.
    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name="personne accompagnée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        help_text="Vide : personne anonyme.",
        db_index=False,  # led by ``activity_beneficiary_date`` (Meta.indexes)
    )
    autonomy = models.CharField(
        "autonomie de la personne", max_length=20, choices=Autonomy.choices, blank=True
    )
    referral = models.CharField(
        "orientation vers", max_length=20, choices=Referral.choices, blank=True
    )

    # Collective activities.
    workshop_session = models.ForeignKey(
        "workshops.WorkshopSession",
        verbose_name="séance du catalogue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_reports",
        help_text="La séance d'atelier dont ce compte rendu rend compte, le cas échéant.",
    )
    title = models.CharField("titre de l'atelier", max_length=200, blank=True)
    level = models.CharField("niveau", max_length=15, choices=Level.choices, blank=True)

    # Who was helped, anonymously (see the module docstring).
    participants_count = models.PositiveIntegerField(
        "participants",
        default=1,
        validators=[
            MinValueValidator(1, message=PARTICIPANTS_MESSAGE),
            MaxValueValidator(MAX_PARTICIPANTS, message=PARTICIPANTS_MESSAGE),
        ],
    )
    gender_female = _count_column("gender", "female")
    gender_male = _count_column("gender", "male")
    gender_unknown = _count_column("gender", "unknown")
    age_under_12 = _count_column("age", "under_12")
    age_12_17 = _count_column("age", "12_17")
    age_18_24 = _count_column("age", "18_24")
    age_25_39 = _count_column("age", "25_39")
    age_40_59 = _count_column("age", "40_59")
    age_60_69 = _count_column("age", "60_69")
    age_70_plus = _count_column("age", "70_plus")
    age_unknown = _count_column("age", "unknown")
    status_in_school = _count_column("status", "in_school")
    status_unemployed = _count_column("status", "unemployed")
    status_employed = _count_column("status", "employed")
    status_retired = _count_column("status", "retired")
    status_unknown = _count_column("status", "unknown")

    equipment_computer = models.BooleanField("ordinateur", default=False)
    equipment_phone = models.BooleanField("téléphone", default=False)
    equipment_tablet = models.BooleanField("tablette", default=False)
    equipment_other = models.BooleanField("autre matériel", default=False)
    equipment_none = models.BooleanField("pas de matériel", default=False)

    private_notes = models.TextField(
        "notes privées",
        blank=True,
        help_text="Visibles par vous seul ; jamais exportées ni partagées.",
    )
    # Generated when the form is rendered: posting the same form twice records one activity.
    idempotency_key = models.UUIDField("clé d'envoi", default=uuid.uuid4, unique=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "activité"
        verbose_name_plural = "activités"
        ordering = ["-date", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["advisor", "-date"], name="activity_advisor_date"),
            models.Index(fields=["date"], name="activity_date"),
            models.Index(fields=["place", "date"], name="activity_place_date"),
            # A person's activities in date order: their first (« nouveau bénéficiaire »,
            # read by the statistics for every activity and by each record) is one probe.
            models.Index(fields=["beneficiary", "date", "id"], name="activity_beneficiary_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1)
                & Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="activity_duration_range",
            ),
            models.CheckConstraint(
                condition=~Q(location_kind=LocationKind.PLACE) | Q(place__isnull=False),
                name="activity_place_when_at_place",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.INDIVIDUAL)
                | (Q(participants_count=1) & Q(title="") & Q(level="")),
                name="activity_individual_fields",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.COLLECTIVE)
                | (
                    Q(participants_count__gte=1)
                    & ~Q(title="")
                    & Q(beneficiary__isnull=True)
                    & Q(autonomy="")
                    & Q(referral="")
                ),
                name="activity_collective_fields",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(participants_count__lte=MAX_PARTICIPANTS),
                name="activity_participants_bounded",
            ),
            models.CheckConstraint(
                condition=Q(
                    **{f"{name}__lte": MAX_PARTICIPANTS for name in ALL_COUNT_FIELDS},
                ),
                name="activity_counts_bounded",
            ),
            # A workshop session has one report: the link is what tells the session is reported.
            models.UniqueConstraint(
                fields=["workshop_session"],
                condition=Q(workshop_session__isnull=False),
                name="activity_one_report_per_session",
                violation_error_message=ONE_REPORT_PER_SESSION,
            ),
            models.CheckConstraint(
                condition=~Q(equipment_none=True)
                | Q(
                    equipment_computer=False,
                    equipment_phone=False,
                    equipment_tablet=False,
                    equipment_other=False,
                ),
                name="activity_no_equipment_is_exclusive",
            ),
            models.CheckConstraint(
                condition=_sum_equals_participants("gender"), name="activity_gender_sum"
            ),
            models.CheckConstraint(
                condition=_sum_equals_participants("age"), name="activity_age_sum"
            ),
            models.CheckConstraint(
                condition=_sum_equals_participants("status"), name="activity_status_sum"
            ),
        ]

    def __str__(self) -> str:
        what = self.title if self.is_collective else self.get_kind_display()
        return f"{what} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def is_collective(self) -> bool:
        return self.kind == ActivityKind.COLLECTIVE

    @property
    def duration_display(self) -> str:
        return duration_label(self.duration_minutes)

    @property
    def location_display(self) -> str:
        if self.location_kind == LocationKind.PLACE and self.place_id:
            return self.place.name
        return self.get_location_kind_display()

    @property
    def equipment(self) -> list[str]:
        return [value for value, name in EQUIPMENT_FIELDS.items() if getattr(self, name)]

    @property
    def equipment_display(self) -> list[str]:
        labels = dict(Equipment.choices)
        return [labels[value] for value in self.equipment]

    def breakdown(self, prefix: str) -> list[tuple[str, int]]:
        """(label, count) pairs of one breakdown, non-zero only."""
        vocabulary = BREAKDOWNS[prefix]
        pairs = [(label, getattr(self, count_field(prefix, v))) for v, label in vocabulary.choices]
        return [(label, n) for label, n in pairs if n]

    @property
    def breakdown_gender(self) -> list[tuple[str, int]]:
        return self.breakdown("gender")

    @property
    def breakdown_age(self) -> list[tuple[str, int]]:
        return self.breakdown("age")

    @property
    def breakdown_status(self) -> list[tuple[str, int]]:
        return self.breakdown("status")

    def single_value(self, prefix: str) -> str:
        """For a one-person activity: the value of a breakdown (``age`` → ``60_69``)."""
        for value in BREAKDOWNS[prefix].values:
            if getattr(self, count_field(prefix, value)):
                return value
        return "unknown"

    def set_person(self, *, gender: str, age_bracket: str, social_status: str) -> None:
        """Make this a one-person count (individual activity)."""
        for name in ALL_COUNT_FIELDS:
            setattr(self, name, 0)
        self.participants_count = 1
        setattr(self, count_field("gender", gender), 1)
        setattr(self, count_field("age", age_bracket), 1)
        setattr(self, count_field("status", social_status), 1)

    def clean(self) -> None:
        errors = {}
        if self.location_kind == LocationKind.PLACE and not self.place_id:
            errors["place"] = "Choisissez le lieu d'activité."
        if self.location_kind != LocationKind.PLACE:
            self.place = None
        if self.is_collective:
            if not self.title.strip():
                errors["title"] = "Donnez un titre à l'atelier."
            if self.beneficiary_id or self.autonomy or self.referral:
                errors["__all__"] = "Un atelier collectif ne se rattache pas à une personne."
        elif self.title or self.level or self.participants_count != 1:
            errors["__all__"] = "Un accompagnement individuel concerne une seule personne."
        if self.equipment_none and len(self.equipment) > 1:
            errors["__all__"] = "« Pas de matériel » exclut les autres matériels."
        for prefix, vocabulary in BREAKDOWNS.items():
            total = sum(getattr(self, count_field(prefix, v)) for v in vocabulary.values)
            if total != self.participants_count:
                errors[count_field(prefix, "unknown")] = (
                    f"La répartition par {BREAKDOWN_NAMES[prefix]} compte {total} personne(s) "
                    f"pour {self.participants_count} participant(s)."
                )
        if errors:
            raise ValidationError(errors)


BREAKDOWN_NAMES = {"gender": "genre", "age": "tranche d'âge", "status": "statut"}


class ActivityTheme(models.Model):
    """One theme of an activity (values of ``enums.Theme``; see the module docstring)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField("thématique", max_length=30, choices=Theme.choices)

    class Meta:
        verbose_name = "thématique d'une activité"
        verbose_name_plural = "thématiques des activités"
        constraints = [
            models.UniqueConstraint(fields=["activity", "theme"], name="activity_theme_unique"),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="theme_valid"),
        ]
        indexes = [models.Index(fields=["theme", "activity"], name="activity_theme_by_theme")]

    def __str__(self) -> str:
        return self.get_theme_display()

"""Appointments (« rendez-vous »): individual bookings inside a permanence occurrence.

Coordinators keep a short list of :class:`AppointmentType` (« Aide aux démarches en ligne »,
30, 45 or 60 minutes). A resident, without an account, books one at a place: an
:class:`Appointment` ties a time to one adviser present at one dated occurrence of a slot
(``slot`` + ``occurrence_date``: occurrences are computed, not stored, see
``relais.planning.models``). A place may override the département-wide booking rules
(:class:`PlaceAppointmentSettings`). Availability is in ``availability.py``, writes in
``services.py``.

The tables kept the names they had when these models lived in the ``bookings`` app
(``db_table``): the data did not move.
"""

import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from relais.bookings.tokens import make_token
from relais.bookings.validators import display_phone, validate_phone
from relais.core.models import TimeStampedModel

from .enums import APPOINTMENT_DURATIONS, AppointmentCancelledBy, AppointmentStatus
from .rules import days_text, department_rules

# Personal data of an appointment is erased this long after it (see privacy.py).
RETENTION_AFTER_APPOINTMENT = relativedelta(months=3)
APPOINTMENT_TOKEN_PURPOSE = "appointment"  # noqa: S105 - a label mixed into the HMAC
# Statuses that hold the adviser's time (a cancelled appointment frees it).
HOLDING_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.DONE, AppointmentStatus.NO_SHOW)


class AppointmentTypeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class AppointmentType(TimeStampedModel):
    """What a resident can book, and for how long (set by the coordinators)."""

    name = models.CharField("intitulé", max_length=120, unique=True)
    description = models.TextField("description", blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        "durée", choices=APPOINTMENT_DURATIONS, default=45
    )
    is_active = models.BooleanField(
        "proposé à la réservation",
        default=True,
        help_text="Décochez pour ne plus le proposer ; les rendez-vous déjà pris restent.",
    )

    objects = AppointmentTypeQuerySet.as_manager()

    class Meta:
        db_table = "bookings_appointmenttype"
        verbose_name = "type de rendez-vous"
        verbose_name_plural = "types de rendez-vous"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def duration_display(self) -> str:
        return dict(APPOINTMENT_DURATIONS).get(
            self.duration_minutes, f"{self.duration_minutes} min"
        )


class AppointmentQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=AppointmentStatus.BOOKED)

    def holding(self):
        return self.filter(status__in=HOLDING_STATUSES)

    def overlapping(self, start, end):
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def with_related(self):
        return self.select_related("appointment_type", "place__commune", "advisor__user")


class Appointment(TimeStampedModel):
    """One resident's appointment with one adviser during a permanence.

    PERSONAL DATA: first name, last name, phone and/or e-mail of a resident, who has no account,
    with the version of the consent text accepted. Retention: erased 3 months after the
    appointment (``RETENTION_AFTER_APPOINTMENT``; rule in ``appointments/privacy.py``): the row
    stays, anonymised, so that the type, place and status still count in the statistics.

    Never two appointments of one adviser at the same time: the booking service locks the
    adviser's row and re-checks the overlap before inserting (``services.appointment_book``); the
    unique constraint below also stops two bookings starting at the same instant.
    """

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    appointment_type = models.ForeignKey(
        AppointmentType,
        verbose_name="type de rendez-vous",
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name="lieu", on_delete=models.PROTECT, related_name="appointments"
    )
    advisor = models.ForeignKey(
        "team.Advisor",
        verbose_name="conseiller",
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    # The occurrence it belongs to: (slot, date); occurrences are computed, not stored.
    slot = models.ForeignKey(
        "planning.Slot",
        verbose_name="permanence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    occurrence_date = models.DateField("date de la permanence")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField("e-mail", blank=True)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="réservé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_version = models.PositiveSmallIntegerField("version du consentement accepté")
    consent_at = models.DateTimeField("consentement donné le")
    cancelled_at = models.DateTimeField("annulé le", null=True, blank=True)
    cancelled_by = models.CharField(
        "annulé par", max_length=20, choices=AppointmentCancelledBy.choices, blank=True
    )
    cancellation_reason = models.CharField("motif de l'annulation", max_length=200, blank=True)
    status_marked_at = models.DateTimeField("statut noté le", null=True, blank=True)
    anonymised_at = models.DateTimeField("données effacées le", null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        db_table = "bookings_appointment"
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["advisor", "starts_at"], name="appointment_advisor_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=False) | ~models.Q(phone="", email=""),
                name="appointment_has_a_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_start",
            ),
            # Belt and braces under the row lock: one live appointment per adviser and start.
            models.UniqueConstraint(
                fields=["advisor", "starts_at"],
                condition=~models.Q(status="cancelled"),
                name="appointment_one_per_advisor_start",
            ),
        ]

    @classmethod
    def at_opening(cls, opening, **fields) -> "Appointment":
        """An unsaved appointment taking ``opening`` (``availability.Opening``): its adviser,
        permanence and times; ``fields`` give the rest (type, place, the person)."""
        return cls(
            advisor=opening.advisor,
            slot=opening.occurrence.slot,
            occurrence_date=opening.occurrence.date,
            starts_at=opening.start,
            ends_at=opening.end,
            **fields,
        )

    def __str__(self) -> str:
        if self.anonymised_at:
            return f"Rendez-vous anonymisé n° {self.pk}"
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "La fin du rendez-vous doit suivre son début."})
        if not self.anonymised_at and not (self.phone or self.email):
            raise ValidationError(
                "Indiquez au moins un moyen de vous joindre : un numéro de téléphone ou une "
                "adresse e-mail."
            )

    @property
    def token(self) -> str:
        return make_token(APPOINTMENT_TOKEN_PURPOSE, self.public_id)

    def get_manage_url(self) -> str:
        """The secret link that lets the person see and cancel the appointment."""
        return reverse(
            "appointments:manage",
            kwargs={"public_id": self.public_id, "token": self.token},
        )

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


# --- Per-place rules ------------------------------------------------------------------------------

MIN_NOTICE_HOURS_RANGE = (0, 720)
HORIZON_DAYS_RANGE = (1, 365)
WALK_IN_PERCENT_RANGE = (0, 100)
MIN_NOTICE_MESSAGE = "Le délai minimal doit être compris entre 0 et 720 heures (30 jours)."
HORIZON_MESSAGE = "La réservation doit être ouverte entre 1 et 365 jours à l'avance."
WALK_IN_MESSAGE = (
    "La part réservée aux visites sans rendez-vous est un pourcentage compris entre 0 et 100."
)


def _between(bounds: tuple[int, int], message: str) -> list:
    low, high = bounds
    return [MinValueValidator(low, message=message), MaxValueValidator(high, message=message)]


class PlaceAppointmentSettings(TimeStampedModel):
    """A place's own appointment rules (« Réglages des rendez-vous »).

    An empty value means the département-wide setting (``RELAIS_APPOINTMENT_MIN_NOTICE_HOURS``,
    ``…_HORIZON_DAYS``, ``…_WALK_IN_SHARE``), read with the overrides by ``availability.py``. A
    place without a row follows the département entirely. ``appointments_enabled`` off: the
    place takes no online appointment (its booking page says so); those booked stay.
    Kept here, with the appointments, so that ``places`` does not depend on them. No personal
    data.
    """

    place = models.OneToOneField(
        "places.Place",
        verbose_name="lieu",
        on_delete=models.CASCADE,
        related_name="appointment_settings",
    )
    appointments_enabled = models.BooleanField(
        "prise de rendez-vous en ligne ouverte",
        default=True,
        help_text="Décochez pour ne plus proposer de rendez-vous en ligne dans ce lieu ; les "
        "rendez-vous déjà pris restent.",
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        "délai minimal de réservation (en heures)",
        null=True,
        blank=True,
        validators=_between(MIN_NOTICE_HOURS_RANGE, MIN_NOTICE_MESSAGE),
        help_text="Vide : valeur départementale.",
    )
    horizon_days = models.PositiveSmallIntegerField(
        "réservation possible jusqu'à (en jours)",
        null=True,
        blank=True,
        validators=_between(HORIZON_DAYS_RANGE, HORIZON_MESSAGE),
        help_text="Vide : valeur départementale.",
    )
    walk_in_percent = models.PositiveSmallIntegerField(
        "part réservée aux visites sans rendez-vous (en %)",
        null=True,
        blank=True,
        validators=_between(WALK_IN_PERCENT_RANGE, WALK_IN_MESSAGE),
        help_text="Vide : valeur départementale.",
    )

    class Meta:
        db_table = "bookings_placeappointmentsettings"
        verbose_name = "réglages des rendez-vous d'un lieu"
        verbose_name_plural = "réglages des rendez-vous des lieux"

    def __str__(self) -> str:
        return f"Réglages des rendez-vous · {self.place}"

    def clean(self) -> None:
        # With the département's values where the place has none: a notice as long as the
        # horizon would leave no time to book at all.
        defaults = department_rules()
        notice = defaults.min_notice_hours
        if self.min_notice_hours is not None:
            notice = self.min_notice_hours
        days = self.horizon_days if self.horizon_days is not None else defaults.horizon_days
        in_range = (
            MIN_NOTICE_HOURS_RANGE[0] <= notice <= MIN_NOTICE_HOURS_RANGE[1]
            and HORIZON_DAYS_RANGE[0] <= days <= HORIZON_DAYS_RANGE[1]
        )
        if not in_range or notice < days * 24:
            return  # out of range: the field's own message already says so
        field = "min_notice_hours" if self.min_notice_hours is not None else "horizon_days"
        raise ValidationError(
            {
                field: f"Avec un délai minimal de {notice} h et une réservation ouverte jusqu'à "
                f"{days_text(days)}, aucun créneau ne serait proposé : "
                "raccourcissez le délai ou allongez la période."
            }
        )

"""The departmental workshop catalogue (Art. 1.2: « créés et proposés par le Département ») and
the dated sessions of each workshop in the places (« annexe 2 », the programme)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from relais.core import french
from relais.core.models import TimeStampedModel

from .enums import OPEN_SESSION_STATUSES, SessionStatus, TopicLevel, TopicStatus, theme_choices

# The convention asks for rooms of 6 to 8 people: 8 is the natural size of a workshop.
DEFAULT_CAPACITY = 8
# A waiting list longer than this would only collect names no seat will ever go to.
MAX_WAITING_LIST = 100
# Slugs that would shadow the fixed public paths under /ateliers/.
RESERVED_SLUGS = frozenset({"gestion", "lieux"})
THEME_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class WorkshopTopicQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=TopicStatus.PUBLISHED)


class WorkshopTopic(TimeStampedModel):
    """A workshop of the departmental catalogue; only published topics are shown to the public."""

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=80, unique=True)
    description = models.TextField("description")
    themes = models.JSONField(
        "thématiques",
        default=list,
        blank=True,
        help_text="Codes des thématiques (vocabulaire de la Coop de la médiation numérique).",
    )
    level = models.CharField(
        "niveau", max_length=20, choices=TopicLevel.choices, default=TopicLevel.BEGINNER
    )
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)",
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(8 * 60)],
    )
    capacity = models.PositiveSmallIntegerField(
        "nombre de places",
        default=DEFAULT_CAPACITY,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="La convention prévoit des salles de 6 à 8 personnes.",
    )
    prerequisites = models.TextField("prérequis", blank=True)
    equipment = models.TextField(
        "matériel", blank=True, help_text="Ce que les participants apportent, ou ce qui est prêté."
    )
    status = models.CharField(
        "statut", max_length=20, choices=TopicStatus.choices, default=TopicStatus.DRAFT
    )

    objects = WorkshopTopicQuerySet.as_manager()

    class Meta:
        verbose_name = "atelier du catalogue"
        verbose_name_plural = "ateliers du catalogue"
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:topic", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == TopicStatus.PUBLISHED

    @property
    def theme_labels(self) -> list[str]:
        labels = dict(theme_choices())
        return [str(labels.get(code, code)) for code in self.themes]

    def clean(self) -> None:
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"« {self.slug} » est réservé : choisissez un autre identifiant."
        if not isinstance(self.themes, list) or not all(
            isinstance(code, str) and THEME_CODE.match(code) for code in self.themes
        ):
            errors["themes"] = (
                "Les thématiques sont des codes en minuscules (lettres, chiffres, tirets)."
            )
        else:
            known = dict(theme_choices())
            unknown = [c for c in self.themes if c not in known]
            if unknown:
                errors["themes"] = f"Thématique(s) inconnue(s) : {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)


class WorkshopSessionQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def open_for_registration(self, now=None):
        """Sessions a resident may register to: published topic, not started, not cancelled."""
        return self.upcoming(now).filter(
            status__in=OPEN_SESSION_STATUSES, topic__status=TopicStatus.PUBLISHED
        )

    def visible_to(self, user):
        """Staff lists: partner staff see their structure's places only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_partner_staff:
            return self.filter(place__partner_id=user.organisation_id)
        return self


class WorkshopSession(TimeStampedModel):
    """One dated workshop in a place. Times are stored in UTC and shown in Europe/Paris.

    ``capacity`` can never exceed the room of the place (``Place.room_capacity``).
    """

    topic = models.ForeignKey(
        WorkshopTopic, verbose_name="atelier", on_delete=models.PROTECT, related_name="sessions"
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name="lieu",
        on_delete=models.PROTECT,
        related_name="workshop_sessions",
    )
    starts_at = models.DateTimeField("début", db_index=True)
    ends_at = models.DateTimeField("fin")
    advisors = models.ManyToManyField(
        "team.Advisor", verbose_name="animé par", blank=True, related_name="workshop_sessions"
    )
    capacity = models.PositiveSmallIntegerField(
        "nombre de places", validators=[MinValueValidator(1)]
    )
    # Empty: as many as seats (waiting_list_size). Without a cap, anyone could fill the list
    # with names and the session's page would promise a seat to people who will never get one.
    waiting_list_cap = models.PositiveSmallIntegerField(
        "places sur la liste d'attente",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_WAITING_LIST)],
        help_text="Vide : autant que de places à la séance. 0 : pas de liste d'attente.",
    )
    status = models.CharField(
        "statut", max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    cancellation_reason = models.TextField("motif d'annulation", blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    # Sessions created together by session_series_create share this key.
    series_key = models.CharField("série", max_length=40, blank=True, db_index=True)

    objects = WorkshopSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance d'atelier"
        verbose_name_plural = "séances d'atelier"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="workshop_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="workshop_session_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(waiting_list_cap__isnull=True)
                | models.Q(waiting_list_cap__lte=MAX_WAITING_LIST),
                name="workshop_session_waiting_list_bounded",
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.topic} — {self.place} — {french.short_datetime(start)}"

    def get_absolute_url(self) -> str:
        return reverse("bookings:roster", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def waiting_list_size(self) -> int:
        """How many people may wait for a seat: the cap the coordinator set, else as many as
        the session has seats."""
        return self.capacity if self.waiting_list_cap is None else self.waiting_list_cap

    @property
    def is_open(self) -> bool:
        return (
            self.status in OPEN_SESSION_STATUSES
            and self.topic.is_published
            and self.starts_at > timezone.now()
        )

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "La fin de la séance doit suivre son début."
        if self.place_id and self.capacity:
            room = self.place.room_capacity
            if room is None:
                errors["place"] = (
                    f"La capacité de la salle de « {self.place} » n'est pas renseignée : "
                    "complétez la fiche du lieu avant d'y programmer un atelier."
                )
            elif self.capacity > room:
                errors["capacity"] = (
                    f"La salle de « {self.place} » accueille {room} personnes au plus : "
                    f"la séance ne peut pas proposer {self.capacity} places."
                )
        if errors:
            raise ValidationError(errors)

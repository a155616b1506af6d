"""Places where advisers hold permanences and workshops (``lieux d'intervention``)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from relais.core.enums import OrganisationKind
from relais.core.french import short_datetime
from relais.core.models import TimeStampedModel
from relais.core.validators import (
    display_phone,
    normalise_phone,
    normalise_siret,
    validate_postal_code,
    validate_siret,
)

from .enums import PlaceKind
from .hours import EXAMPLE as OPENING_HOURS_EXAMPLE
from .hours import opening_hours_in_french, validate_opening_hours

MAX_ROOM_CAPACITY = 500


class PlaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Places a user may see: partner staff only their own structure's places."""
        if not user.is_authenticated:
            return self.none()
        if user.is_partner_staff:
            return self.filter(partner_id=user.organisation_id)
        return self


class Place(TimeStampedModel):
    """A place run by a partner, with the room and equipment the agreement requires (Art. 1.2).

    The requirement flags record whether the place offers what the convention asks: a public,
    accessible place, a room for 6 to 8 people with Internet and Wi-Fi, a closed confidential
    office, and a computer, printer/scanner, photocopier and telephone.
    """

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=80, unique=True)
    kind = models.CharField("type de lieu", max_length=20, choices=PlaceKind.choices)
    partner = models.ForeignKey(
        "core.Organisation",
        verbose_name="structure partenaire",
        on_delete=models.PROTECT,
        related_name="places",
    )
    commune = models.ForeignKey(
        "core.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="places"
    )
    address = models.CharField(
        "adresse",
        max_length=200,
        blank=True,
        help_text="Numéro et voie, ex. : 12 rue de la République (obligatoire pour un lieu "
        "actif : c'est l'adresse publiée dans les données ouvertes).",
    )
    siret = models.CharField(
        "SIRET de la structure qui gère le lieu",
        max_length=20,
        blank=True,
        help_text="Ex. : celui de la commune pour une mairie. Vide : le lieu est géré par la "
        "structure partenaire (son SIRET est publié).",
    )
    postal_code = models.CharField(
        "code postal", max_length=5, blank=True, validators=[validate_postal_code]
    )
    latitude = models.DecimalField(
        "latitude",
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text="WGS84, en degrés décimaux. Vide : centre de la commune.",
    )
    longitude = models.DecimalField(
        "longitude",
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text="WGS84, en degrés décimaux. Vide : centre de la commune.",
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("site web", blank=True)
    opening_hours = models.CharField(
        "horaires d'ouverture",
        max_length=255,
        blank=True,
        validators=[validate_opening_hours],
        help_text=(
            "Syntaxe OpenStreetMap (opening_hours), ex. « "
            + OPENING_HOURS_EXAMPLE
            + "; Sa 09:00-12:00; PH off »."
        ),
    )
    description = models.TextField(
        "présentation",
        blank=True,
        help_text="Ce que le lieu propose, publié dans les données ouvertes.",
    )
    accessibility_notes = models.TextField(
        "informations d'accessibilité",
        blank=True,
        help_text="Accès PMR, stationnement, étage, boucle magnétique…",
    )
    is_active = models.BooleanField("actif", default=True)

    # Art. 1.2 requirements.
    is_public_and_accessible = models.BooleanField(
        "accueil du public accessible aux personnes à mobilité réduite", default=False
    )
    room_capacity = models.PositiveSmallIntegerField(
        "capacité de la salle d'atelier",
        null=True,
        blank=True,
        # A hall, not a typing mistake: SQLite stored 99,999,999,999 (PostgreSQL refused it).
        validators=[MaxValueValidator(MAX_ROOM_CAPACITY)],
        help_text="Nombre de personnes accueillies en atelier (la convention demande 6 à 8).",
    )
    has_internet_and_wifi = models.BooleanField("accès Internet et Wi-Fi", default=False)
    has_confidential_office = models.BooleanField("bureau fermé confidentiel", default=False)
    has_computer = models.BooleanField("ordinateur", default=False)
    has_printer_scanner = models.BooleanField("imprimante / scanner", default=False)
    has_photocopier = models.BooleanField("photocopieuse", default=False)
    has_phone = models.BooleanField("téléphone", default=False)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = "lieu d'intervention"
        verbose_name_plural = "lieux d'intervention"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                "Renseignez la latitude et la longitude, ou aucune des deux "
                "(le centre de la commune est alors utilisé)."
            )
        # The open data publishes both: a code of another commune sends residents elsewhere. A
        # commune holds one code in Relais (import-communes), so the place's must be that one.
        if (
            self.postal_code
            and self.commune_id
            and self.commune.postal_code
            and self.postal_code != self.commune.postal_code
        ):
            raise ValidationError(
                {
                    "postal_code": (
                        f"Le code postal {self.postal_code} n'est pas celui de la commune "
                        f"{self.commune.name} ({self.commune.postal_code})."
                    )
                }
            )
        errors = {}
        if self.siret:
            self.siret = normalise_siret(self.siret)
            try:
                validate_siret(self.siret)
            except ValidationError as error:
                errors["siret"] = error.messages
        if errors:
            raise ValidationError(errors)
        # Stored in E.164 (published as such in the open data), shown the French way.
        try:
            self.phone = normalise_phone(self.phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from error

    def publication_problems(self) -> dict[str, str]:
        """What keeps an active place out of the open data, by field, in French.

        Not in ``clean()``: the agreement importer creates the places of a convention's table
        with no address yet; the place's form (what its staff and the coordinators edit)
        requires both, and the export leaves out a place without a street address."""
        problems = {}
        if not self.is_active:
            return problems
        # A published place is found by its street address, not by its name.
        if not (self.address or "").strip():
            problems["address"] = (
                "Indiquez l'adresse du lieu (numéro et voie) : elle est publiée dans les "
                "données ouvertes tant que le lieu est actif."
            )
        # A town hall is run by its commune: the partner's SIRET (an EPCI's) would name the
        # wrong organisation in the national cartography.
        if (
            self.kind == PlaceKind.TOWN_HALL
            and not self.siret
            and self.partner_id
            and self.partner.kind != OrganisationKind.MUNICIPALITY
        ):
            problems["siret"] = (
                "Une mairie est gérée par sa commune : indiquez le SIRET de la commune "
                "(celui de la structure partenaire ne la désigne pas)."
            )
        return problems

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)

    @property
    def opening_hours_fr(self) -> list[str] | None:
        """The opening hours read in French, or ``None`` if too complex to render simply."""
        return opening_hours_in_french(self.opening_hours)

    @property
    def coordinates(self) -> tuple[Decimal, Decimal]:
        """(latitude, longitude): the place's own, else its commune's centroid."""
        if self.latitude is not None and self.longitude is not None:
            return self.latitude, self.longitude
        return self.commune.latitude, self.commune.longitude

    @property
    def missing_requirements(self) -> list[str]:
        """Art. 1.2 requirements this place does not meet yet, in French."""
        missing = []
        if not self.is_public_and_accessible:
            missing.append("accueil du public accessible PMR")
        if self.room_capacity is None or self.room_capacity < 6:
            missing.append("salle de 6 à 8 personnes")
        flags = [
            ("has_internet_and_wifi", "Internet et Wi-Fi"),
            ("has_confidential_office", "bureau confidentiel fermé"),
            ("has_computer", "ordinateur"),
            ("has_printer_scanner", "imprimante / scanner"),
            ("has_photocopier", "photocopieuse"),
            ("has_phone", "téléphone"),
        ]
        missing.extend(label for field, label in flags if not getattr(self, field))
        return missing


def _readable(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


class PlaceChange(models.Model):
    """One recorded change of a place: who, when, and a list of ``{field, label, old, new}``.

    ``old`` and ``new`` are the values as a person reads them (``oui``/``non``, a choice's label,
    the name of a related object), so the history stays readable after the model evolves.
    """

    place = models.ForeignKey(
        Place, verbose_name="lieu", on_delete=models.CASCADE, related_name="changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField("modifié le", auto_now_add=True, db_index=True)
    changes = models.JSONField("modifications", default=list)

    class Meta:
        verbose_name = "modification d'un lieu"
        verbose_name_plural = "modifications des lieux"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        labels = ", ".join(change["label"] for change in self.changes)
        return f"{self.place} · {short_datetime(self.changed_at)} · {labels}"

    @property
    def readable_changes(self) -> list[dict]:
        """The changes with values as French text: ``oui``/``non``, ``—`` for empty."""
        return [
            {**change, "old": _readable(change["old"]), "new": _readable(change["new"])}
            for change in self.changes
        ]

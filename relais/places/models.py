"""Places where advisers hold permanences and workshops (``lieux d'intervention``)."""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from relais.core.models import TimeStampedModel
from relais.core.validators import validate_postal_code

from .enums import PlaceKind


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
    address = models.CharField("adresse", max_length=200, blank=True)
    postal_code = models.CharField(
        "code postal", max_length=5, blank=True, validators=[validate_postal_code]
    )
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    is_active = models.BooleanField("actif", default=True)

    # Art. 1.2 requirements.
    is_public_and_accessible = models.BooleanField(
        "accueil du public accessible aux personnes à mobilité réduite", default=False
    )
    room_capacity = models.PositiveSmallIntegerField(
        "capacité de la salle d'atelier",
        null=True,
        blank=True,
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

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)

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

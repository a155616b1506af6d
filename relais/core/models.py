"""Reference data shared by every app: communes and organisations (the Département, partners)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from .enums import OrganisationKind
from .validators import (
    display_phone,
    normalise_phone,
    normalise_siret,
    validate_insee_code,
    validate_postal_code,
    validate_siret,
)


def entered_by(verbose_name: str = "saisi par") -> models.ForeignKey:
    """The staff account that entered a row; the row outlives the account (SET_NULL).

    No reverse accessor: nothing asks an account for everything it entered.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class CommuneQuerySet(models.QuerySet):
    def for_department(self, code: str):
        return self.filter(department_code=code)


class Commune(models.Model):
    """A commune of the département, with its centroid (used for travel estimates)."""

    name = models.CharField("nom", max_length=100)
    postal_code = models.CharField("code postal", max_length=5, validators=[validate_postal_code])
    # The official geographic code (COG), published in the open data when known; the bundled
    # communes-66.csv has none, an import with a ``code_insee`` column fills it.
    insee_code = models.CharField(
        "code INSEE",
        max_length=5,
        blank=True,
        validators=[validate_insee_code],
        help_text="Code officiel géographique, ex. : 66149 (Prades).",
    )
    department_code = models.CharField("département", max_length=3)
    latitude = models.DecimalField(
        "latitude",
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "longitude",
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "department_code", Lower("name"), name="commune_unique_name_per_department"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.postal_code})"


class OrganisationQuerySet(models.QuerySet):
    def partners(self):
        return self.exclude(kind=OrganisationKind.DEPARTMENT)

    def departments(self):
        return self.filter(kind=OrganisationKind.DEPARTMENT)


class Organisation(TimeStampedModel):
    """A legal person party to the programme: the Département or a partner structure.

    The representative is the person who signs for it (e.g. its president); their name is
    public information printed on the agreements, not personal data under our retention table.
    """

    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    name = models.CharField("nom", max_length=200, unique=True)
    short_name = models.CharField("nom court", max_length=80, blank=True)
    siret = models.CharField(
        "SIRET",
        max_length=20,
        blank=True,
        help_text="Facultatif ; vérifié s'il est renseigné.",
    )
    address = models.CharField("adresse", max_length=200, blank=True)
    postal_code = models.CharField(
        "code postal", max_length=5, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField("ville", max_length=100, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune du siège",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    representative_name = models.CharField("représentant légal", max_length=150, blank=True)
    representative_title = models.CharField(
        "qualité du représentant", max_length=150, blank=True, help_text="Ex. : Président"
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret=""),
                name="organisation_unique_siret",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_department(self) -> bool:
        return self.kind == OrganisationKind.DEPARTMENT

    @property
    def postal_address(self) -> str:
        return ", ".join(p for p in [self.address, f"{self.postal_code} {self.city}".strip()] if p)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.siret:
            self.siret = normalise_siret(self.siret)
            try:
                validate_siret(self.siret)
            except ValidationError as error:
                errors["siret"] = error.messages
        try:
            self.phone = normalise_phone(self.phone)  # E.164, French or foreign
        except ValidationError as error:
            errors["phone"] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""

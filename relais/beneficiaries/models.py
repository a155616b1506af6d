"""People helped by the advisers (« usagers », « personnes accompagnées »).

Personal data — retention: 24 months after the person's last activity (``last_activity_on``,
or ``created_at`` when they never had one); the privacy app's purge deletes them through
``services.beneficiary_delete``, which keeps the figures of their activities. Covered by the
advisers' professional secrecy (convention, art. 2): names are shown to the team's advisers only
(see ``perms``).
"""

import re

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from relais.core.models import TimeStampedModel, entered_by
from relais.core.validators import display_phone, normalise_phone, validate_plausible_date

from .enums import AgeBracket, Gender, SocialStatus, age_bracket_for
from .normalise import fold, name_key, normalise_email, phone_search_key

# Read by the privacy app's central retention table.
RETENTION_MONTHS = 24
PERSONAL_DATA = (
    "Beneficiary: names, birth year, gender, social status, commune, phone, e-mail, consent. "
    f"Retention: {RETENTION_MONTHS} months after the last activity, then deleted with "
    "beneficiary_delete (activities keep anonymous counts)."
)
MIN_BIRTH_YEAR = 1900


class BeneficiaryQuerySet(models.QuerySet):
    def search(self, text: str):
        """Named beneficiaries whose normalised name, phone or e-mail contains ``text``."""
        text = (text or "").strip()
        if not text:
            return self
        words = fold(text).split()
        query = models.Q()
        for word in words:
            query &= models.Q(name_key__contains=word)
        if len(re.sub(r"[^0-9]", "", text)) >= 4:
            query |= models.Q(phone__contains=phone_search_key(text))
        if "@" in text:
            query |= models.Q(email__icontains=text)
        return self.filter(query)

    def due_for_purge(self, today=None):
        """Rows past their retention (for the privacy app's purge)."""
        today = today or timezone.localdate()
        limit = today - relativedelta(months=RETENTION_MONTHS)
        return self.filter(
            models.Q(last_activity_on__lt=limit)
            | models.Q(last_activity_on__isnull=True, created_at__date__lt=limit)
        )


class Beneficiary(TimeStampedModel):
    """A person helped, named or anonymous (no name: followed across activities, not named).

    Personal data, retention 24 months after the last activity (see the module docstring).
    """

    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    # Normalised « last|first » (no accents, lower case), for search and duplicate detection.
    name_key = models.CharField(max_length=210, blank=True, db_index=True, editable=False)
    birth_year = models.PositiveSmallIntegerField("année de naissance", null=True, blank=True)
    gender = models.CharField(
        "genre", max_length=10, choices=Gender.choices, default=Gender.UNKNOWN
    )
    social_status = models.CharField(
        "statut", max_length=12, choices=SocialStatus.choices, default=SocialStatus.UNKNOWN
    )
    commune = models.ForeignKey(
        "core.Commune",
        verbose_name="commune de résidence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField("téléphone", max_length=20, blank=True, db_index=True)
    email = models.EmailField("e-mail", blank=True, db_index=True)
    consent_given_on = models.DateField(
        "consentement recueilli le",
        null=True,
        blank=True,
        help_text="Date à laquelle la personne a accepté l'enregistrement de ses données.",
        validators=[validate_plausible_date],  # imported files said « 01/01/0001 »
    )
    consent_text_version = models.CharField(
        "version de la mention d'information", max_length=40, blank=True
    )
    created_by = entered_by("créé par")
    last_activity_on = models.DateField("dernier accompagnement", null=True, blank=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        verbose_name = "personne accompagnée"
        verbose_name_plural = "personnes accompagnées"
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True)
                | models.Q(birth_year__gte=MIN_BIRTH_YEAR),
                name="beneficiary_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(consent_given_on__isnull=True)
                | ~models.Q(consent_text_version=""),
                name="beneficiary_consent_has_version",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_anonymous(self) -> bool:
        return not (self.first_name or self.last_name)

    @property
    def display_name(self) -> str:
        if self.is_anonymous:
            return f"Personne anonyme n° {self.pk}" if self.pk else "Personne anonyme"
        return f"{self.first_name} {self.last_name.upper()}".strip()

    def get_absolute_url(self) -> str:
        return reverse("beneficiaries:detail", args=[self.pk])

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""

    def age_bracket_in(self, year: int) -> AgeBracket:
        return age_bracket_for(self.birth_year, year)

    def clean(self) -> None:
        self.first_name = " ".join(self.first_name.split())
        self.last_name = " ".join(self.last_name.split())
        self.name_key = name_key(self.last_name, self.first_name) if not self.is_anonymous else ""
        self.email = normalise_email(self.email)
        errors = {}
        try:
            self.phone = normalise_phone(self.phone)  # E.164, French or foreign
        except ValidationError as error:
            errors["phone"] = error.messages
        this_year = timezone.localdate().year
        if self.birth_year is not None and not (MIN_BIRTH_YEAR <= self.birth_year <= this_year):
            errors["birth_year"] = f"L'année de naissance doit être entre {MIN_BIRTH_YEAR} et "
            errors["birth_year"] += f"{this_year}."
        if self.consent_given_on and not self.consent_text_version:
            errors["consent_text_version"] = (
                "Indiquez la version de la mention d'information présentée."
            )
        if errors:
            raise ValidationError(errors)


class BeneficiaryImport(models.Model):
    """A confirmed import (``services.beneficiaries_import``): what makes a preview single-use.

    The preview's signed token carries a random key; confirming stores it here, unique, in the
    transaction that creates the people. Confirming the same preview again — a double click, a
    reloaded page, two tabs, a replayed request — fails on the unique key and creates no one:
    on PostgreSQL the second transaction waits for the first, then fails; SQLite's IMMEDIATE
    transactions run them one after the other. No data of the people imported is kept here.
    """

    key = models.CharField(
        "clé de l'aperçu",
        max_length=64,
        unique=True,
        error_messages={"unique": "Cet import a déjà été confirmé."},
    )
    imported_by = entered_by("importé par")
    row_count = models.PositiveIntegerField("personnes importées")
    created_at = models.DateTimeField("confirmé le", auto_now_add=True)

    class Meta:
        verbose_name = "import de personnes accompagnées"
        verbose_name_plural = "imports de personnes accompagnées"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import de {self.row_count} personne(s) du {self.created_at:%d/%m/%Y}"

"""The contract layer: deliberations, agreements, parties, signatories, commitments, amendments.

Names of elected officials and signatories are public information (published deliberations and
signed agreements), kept with the documents they belong to.
"""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from relais.core.models import TimeStampedModel
from relais.core.validators import (
    display_phone,
    normalise_phone,
    validate_plausible_date,
)

from . import lifecycle
from .enums import (
    Attendance,
    CommitmentFrequency,
    CommitmentUnit,
    CommunicationMedium,
    CommunicationStatus,
    ContactRole,
    Modality,
    PartyRole,
    TerminationKind,
    unit_count,
)

# "2023 – 2026 (Vague 2)" at the end of a convention's title.
# Upper bounds of what is typed or imported: the largest councils have a few hundred members, and
# a convention lasts a few years. Beyond, a typing mistake (PostgreSQL refused 99,999,999,999 for
# a small integer, SQLite stored it) that would then overflow the dates computed from it.
MAX_COUNCIL_MEMBERS = 999
MAX_DURATION_MONTHS = 120
MAX_NOTICE_MONTHS = 24
MAX_NOTICE_DAYS = 365
MAX_ORIGINAL_COPIES = 20
PERIOD_IN_TITLE = re.compile(r"\d{4}\s*[–-]\s*\d{4}(?:\s*\([^)]*\))?\s*$")

# Weekly equivalents of each frequency: a fortnightly half-day is half a half-day a week.
WEEKLY_FACTOR = {
    CommitmentFrequency.WEEKLY: Decimal("1"),
    CommitmentFrequency.FORTNIGHTLY: Decimal("0.5"),
    CommitmentFrequency.MONTHLY: Decimal("12") / Decimal("52"),
}


class Deliberation(TimeStampedModel):
    """A council's decision, with its attendance and vote figures (e.g. n° 37-24)."""

    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name="collectivité",
        on_delete=models.PROTECT,
        related_name="deliberations",
    )
    council = models.CharField("assemblée", max_length=200, help_text="Ex. : Conseil communautaire")
    authority = models.CharField(
        "collectivité qui délibère",
        max_length=200,
        blank=True,
        help_text="Telle que la nomme l'extrait, ex. : Communauté de Communes Conflent Canigó "
        "(vide : la structure enregistrée).",
    )
    session_date = models.DateField("date de la séance", validators=[validate_plausible_date])
    convocation_date = models.DateField(
        "date de la convocation", null=True, blank=True, validators=[validate_plausible_date]
    )
    order_number = models.CharField("n° d'ordre", max_length=30)
    actes_classification = models.CharField("classification @ctes", max_length=120, blank=True)
    subject = models.CharField("objet", max_length=300)
    president = models.CharField("président de séance", max_length=150)
    secretary = models.CharField("secrétaire de séance", max_length=150, blank=True)
    members_in_office = models.PositiveSmallIntegerField(
        "conseillers en exercice", validators=[MaxValueValidator(MAX_COUNCIL_MEMBERS)]
    )
    present_count = models.PositiveSmallIntegerField(
        "présents", validators=[MaxValueValidator(MAX_COUNCIL_MEMBERS)]
    )
    voters = models.PositiveSmallIntegerField(
        "votants", validators=[MaxValueValidator(MAX_COUNCIL_MEMBERS)]
    )
    votes_for = models.PositiveSmallIntegerField(
        "pour", validators=[MaxValueValidator(MAX_COUNCIL_MEMBERS)]
    )
    votes_against = models.PositiveSmallIntegerField(
        "contre", default=0, validators=[MaxValueValidator(MAX_COUNCIL_MEMBERS)]
    )
    abstentions = models.PositiveSmallIntegerField(
        "abstentions", default=0, validators=[MaxValueValidator(MAX_COUNCIL_MEMBERS)]
    )
    decision_text = models.TextField("texte de la décision", blank=True)
    second_convocation = models.BooleanField(
        "seconde convocation",
        default=False,
        help_text="Séance tenue après une première convocation sans quorum : le conseil "
        "délibère valablement quel que soit le nombre de présents (CGCT L2121-17).",
    )
    certified_on = models.DateField(
        "certifiée conforme le", null=True, blank=True, validators=[validate_plausible_date]
    )
    certified_by = models.CharField("certifiée par", max_length=150, blank=True)

    class Meta:
        verbose_name = "délibération"
        verbose_name_plural = "délibérations"
        ordering = ["-session_date", "order_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "order_number"], name="deliberation_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"Délibération n° {self.order_number} du {self.session_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:deliberation_detail", kwargs={"pk": self.pk})

    @property
    def authority_name(self) -> str:
        return self.authority or self.organisation.name


class DeliberationMember(models.Model):
    """A member in office and what they did at the session (present, proxy, excused…)."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("nom", max_length=150)
    attendance = models.CharField("présence", max_length=10, choices=Attendance.choices)
    proxy_holder = models.CharField(
        "procuration donnée à",
        max_length=150,
        blank=True,
        help_text="Nom du membre présent qui vote pour l'absent.",
    )
    not_voting = models.BooleanField(
        "ne prend pas part au vote",
        default=False,
        help_text="Membre présent (ou représenté) qui ne participe pas au vote.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "membre"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "name"], name="deliberation_member_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeliberationScheduleRow(models.Model):
    """One line of the table of places voted in a deliberation (to compare with the agreement)."""

    deliberation = models.ForeignKey(
        Deliberation, on_delete=models.CASCADE, related_name="schedule_rows"
    )
    label = models.CharField("lieu (tel qu'écrit)", max_length=200)
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    count = models.PositiveSmallIntegerField("nombre", validators=[MinValueValidator(1)])
    unit = models.CharField("unité", max_length=10, choices=CommitmentUnit.choices)
    frequency = models.CharField("fréquence", max_length=12, choices=CommitmentFrequency.choices)
    modality = models.CharField("modalité", max_length=10, choices=Modality.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def count_label(self) -> str:
        return unit_count(self.unit, self.count)


class AgreementQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("partner", "department").prefetch_related("signatories")


class Agreement(TimeStampedModel):
    """A convention between the Département and a partner (Art. 1–8 of the seed)."""

    title = models.CharField("intitulé", max_length=300)
    reference = models.CharField("référence interne", max_length=60, blank=True)
    department = models.ForeignKey(
        "core.Organisation",
        verbose_name="Département",
        on_delete=models.PROTECT,
        related_name="department_agreements",
    )
    partner = models.ForeignKey(
        "core.Organisation",
        verbose_name="bénéficiaire",
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    predecessor = models.OneToOneField(
        "self",
        verbose_name="convention précédente",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successor",
    )
    signed_at = models.CharField("fait à", max_length=100, blank=True)
    original_copies = models.PositiveSmallIntegerField(
        "exemplaires originaux", default=2, validators=[MaxValueValidator(MAX_ORIGINAL_COPIES)]
    )

    # Art. 6 — duration and renewal.
    duration_months = models.PositiveSmallIntegerField(
        "durée (mois)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MONTHS)],
    )
    tacit_renewal = models.BooleanField("reconduction tacite", default=True)
    opposition_notice_months = models.PositiveSmallIntegerField(
        "préavis d'opposition (mois)", default=2, validators=[MaxValueValidator(MAX_NOTICE_MONTHS)]
    )
    hard_end_date = models.DateField(
        "prend fin au plus tard le", null=True, blank=True, validators=[validate_plausible_date]
    )
    # Art. 7 — termination notices, in calendar days.
    notice_days = models.PositiveSmallIntegerField(
        "délai de résiliation pour faute (jours)",
        default=30,
        validators=[MaxValueValidator(MAX_NOTICE_DAYS)],
        help_text="Art. 7.1 : délai après la réception de la mise en demeure.",
    )
    force_majeure_notice_days = models.PositiveSmallIntegerField(
        "délai de résiliation pour force majeure (jours)",
        default=30,
        validators=[MaxValueValidator(MAX_NOTICE_DAYS)],
        help_text="Art. 7.2 : délai après la notification de l'évènement.",
    )
    # Art. 1.2 — hours counted for a day and a half-day.
    day_hours = models.DecimalField(
        "heures d'une journée", max_digits=4, decimal_places=2, default=Decimal("7")
    )
    half_day_hours = models.DecimalField(
        "heures d'une demi-journée", max_digits=4, decimal_places=2, default=Decimal("3.5")
    )
    communication_mention = models.TextField(
        "mention obligatoire (art. 5)",
        blank=True,
        help_text="Mention que le bénéficiaire fait figurer sur ses supports de communication.",
    )
    jurisdiction = models.CharField("tribunal compétent", max_length=200, blank=True)
    # The articles as signed, word for word (issue 13, §1): imported from the partner's
    # document, or, for a successor drafted in Relais, the previous agreement's text edited
    # while draft. Empty: the PDF falls back to the Département's model.
    text = models.TextField(
        "texte de la convention",
        blank=True,
        help_text="Le texte signé, tel quel (intitulé, parties, articles, signatures). "
        "Modifiable tant que la convention est un brouillon.",
    )

    # Recorded events.
    sent_for_signature_on = models.DateField(
        "envoyée à la signature le", null=True, blank=True, validators=[validate_plausible_date]
    )
    opposed_on = models.DateField(
        "opposition à la reconduction le",
        null=True,
        blank=True,
        validators=[validate_plausible_date],
    )
    opposed_by = models.CharField(
        "opposition exprimée par", max_length=12, choices=PartyRole.choices, blank=True
    )
    termination_kind = models.CharField(
        "résiliation", max_length=15, choices=TerminationKind.choices, blank=True
    )
    termination_initiated_by = models.CharField(
        "résiliation à l'initiative de", max_length=12, choices=PartyRole.choices, blank=True
    )
    notice_sent_on = models.DateField(
        "mise en demeure envoyée le", null=True, blank=True, validators=[validate_plausible_date]
    )
    notice_received_on = models.DateField(
        "mise en demeure reçue le", null=True, blank=True, validators=[validate_plausible_date]
    )
    remedied_on = models.DateField(
        "manquement réparé le", null=True, blank=True, validators=[validate_plausible_date]
    )
    notified_on = models.DateField(
        "notification reçue le", null=True, blank=True, validators=[validate_plausible_date]
    )
    dissolved_on = models.DateField(
        "dissolution le", null=True, blank=True, validators=[validate_plausible_date]
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} — {self.partner}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:detail", kwargs={"pk": self.pk})

    @property
    def short_label(self) -> str:
        """What tells two agreements of one partner apart in a list: its reference or period."""
        if self.reference:
            return self.reference
        period = PERIOD_IN_TITLE.search(self.title)
        return f"Convention {period.group(0)}" if period else self.title[:60]

    def terms(self) -> lifecycle.Terms:
        signatures = tuple(s.signed_on for s in self.signatories.all())
        return lifecycle.Terms(
            signature_dates=signatures,
            sent_for_signature_on=self.sent_for_signature_on,
            duration_months=self.duration_months,
            tacit_renewal=self.tacit_renewal,
            opposition_notice_months=self.opposition_notice_months,
            hard_end=self.hard_end_date,
            notice_days=self.notice_days,
            force_majeure_notice_days=self.force_majeure_notice_days,
            opposed_on=self.opposed_on,
            termination_kind=self.termination_kind,
            notice_received_on=self.notice_received_on,
            remedied_on=self.remedied_on,
            notified_on=self.notified_on,
            dissolved_on=self.dissolved_on,
        )

    def timeline(self, today: date | None = None) -> lifecycle.Timeline:
        return lifecycle.compute_timeline(self.terms(), today or timezone.localdate())

    @property
    def status(self) -> str:
        return self.timeline().status

    @property
    def is_editable(self) -> bool:
        """Only a draft can be edited; once sent for signature, changes go through amendments."""
        return self.timeline().status == "draft"

    def hours_for(self, unit: str) -> Decimal:
        return self.day_hours if unit == CommitmentUnit.DAY else self.half_day_hours

    def clean(self) -> None:
        errors = {}
        if self.department_id and not self.department.is_department:
            errors["department"] = "Cette structure n'est pas un Département."
        if self.partner_id and self.partner.is_department:
            errors["partner"] = "Le bénéficiaire ne peut pas être un Département."
        if self.half_day_hours and self.day_hours and self.half_day_hours > self.day_hours:
            errors["half_day_hours"] = "Une demi-journée ne peut pas durer plus qu'une journée."
        if (
            self.notice_received_on
            and self.notice_sent_on
            and (self.notice_received_on < self.notice_sent_on)
        ):
            errors["notice_received_on"] = "La réception ne peut pas précéder l'envoi."
        if errors:
            raise ValidationError(errors)


class AgreementParty(models.Model):
    """A party as the agreement names it: representative, address, authorising deliberation.

    Snapshotted from the organisation so that the document keeps what was signed. A blank
    deliberation number or date (as in the seed's partner clause) is a to-do item.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField("partie", max_length=12, choices=PartyRole.choices)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    representative_name = models.CharField("représentée par", max_length=150, blank=True)
    representative_title = models.CharField("en qualité de", max_length=150, blank=True)
    address = models.CharField("domiciliée", max_length=250, blank=True)
    deliberation = models.ForeignKey(
        Deliberation,
        verbose_name="délibération enregistrée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authorised_parties",
    )
    deliberation_body = models.CharField(
        "assemblée qui autorise",
        max_length=150,
        blank=True,
        help_text="Ex. : Conseil Départemental",
    )
    deliberation_number = models.CharField("n° de délibération", max_length=30, blank=True)
    deliberation_date = models.DateField(
        "date de délibération", null=True, blank=True, validators=[validate_plausible_date]
    )

    class Meta:
        verbose_name = "partie"
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "role"], name="agreement_party_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} : {self.organisation}"

    @property
    def blanks(self) -> list[str]:
        """What the document leaves blank and somebody has to fill in."""
        missing = []
        if not self.representative_name:
            missing.append("représentant")
        if not self.deliberation_number:
            missing.append("numéro de la délibération qui autorise la signature")
        if not self.deliberation_date:
            missing.append("date de la délibération qui autorise la signature")
        return missing


class Signatory(models.Model):
    """A person who signs the agreement (presidents, and here the mayors of host communes)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField("nom", max_length=150)
    title = models.CharField(
        "qualité", max_length=200, help_text="Ex. : Le Maire de la Commune de Prades"
    )
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        "core.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_on = models.DateField(
        "signée le", null=True, blank=True, validators=[validate_plausible_date]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "signataire"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.title} — {self.name}"


class SourceDocument(models.Model):
    """A document as received (the convention or deliberation, PDF or text): the record.

    The file is kept byte for byte with its SHA-256, so anybody can check that what Relais
    shows is what was signed; the text the importer read from it is kept beside it.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sources")
    file = models.FileField("fichier d'origine", upload_to="conventions/")
    filename = models.CharField("nom du fichier", max_length=255)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    extracted_text = models.TextField("texte extrait", blank=True)
    imported_at = models.DateTimeField("importé le", default=timezone.now)

    class Meta:
        verbose_name = "document d'origine"
        verbose_name_plural = "documents d'origine"
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "sha256"], name="source_unique_digest")
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]}…)"


class InsuranceCertificate(models.Model):
    """The partner's civil-liability insurance (Art. 4.2: "pendant toute la durée de la
    Convention"): one certificate per period of cover; the latest one is checked."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="insurance_certificates"
    )
    insurer = models.CharField("assureur", max_length=150)
    policy_number = models.CharField("n° de police", max_length=60)
    valid_from = models.DateField("valable du", validators=[validate_plausible_date])
    valid_until = models.DateField("valable jusqu'au", validators=[validate_plausible_date])
    file = models.FileField("attestation", upload_to="assurances/", blank=True)

    class Meta:
        verbose_name = "attestation d'assurance"
        verbose_name_plural = "attestations d'assurance"
        ordering = ["-valid_until", "-pk"]

    def __str__(self) -> str:
        return f"{self.insurer} n° {self.policy_number} ({self.valid_until:%d/%m/%Y})"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": "La fin de validité précède son début."})


class AgreementContact(models.Model):
    """A named person of either party for this agreement.

    Art. 3.3: the Département's dedicated technical team and the regular contacts it organises
    with the partner; Art. 3.4: who receives the follow-up; Art. 4.1: who holds the editorial
    responsibility of the publications for each party (and so validates them, Art. 5). A
    person who no longer holds the role gets an end date (the history stays readable) and is
    deleted a year later (retention table)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="contacts")
    party = models.CharField("partie", max_length=12, choices=PartyRole.choices)
    role = models.CharField("rôle", max_length=20, choices=ContactRole.choices)
    full_name = models.CharField("nom et prénom", max_length=150)
    function = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("e-mail professionnel", blank=True)
    phone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    until = models.DateField(
        "n'exerce plus ce rôle depuis le",
        null=True,
        blank=True,
        validators=[validate_plausible_date],
    )

    class Meta:
        verbose_name = "contact de la convention"
        verbose_name_plural = "contacts de la convention"
        ordering = ["party", "role", "full_name", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"

    def clean(self) -> None:
        errors = {}
        if self.role == ContactRole.TECHNICAL_TEAM and self.party != PartyRole.DEPARTMENT:
            errors["party"] = "L'équipe technique dédiée est celle du Département (art. 3.3)."
        if self.role == ContactRole.FOLLOW_UP and self.party != PartyRole.DEPARTMENT:
            errors["party"] = (
                "Le suivi est transmis au Département, à son équipe technique (art. 3.4)."
            )
        try:
            self.phone = normalise_phone(self.phone)
        except ValidationError as error:
            errors["phone"] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone) if self.phone else ""


class CommunicationRequest(TimeStampedModel):
    """A party's external communication about the agreement, submitted for the other party's
    prior authorisation (Art. 5), with the editorial validation of both parties when it is a
    publication or a report (Art. 4.1).

    What (subject, medium, draft), where (the support or place of diffusion), when (the
    planned diffusion), whether the Département's mention and logo appear, and the decision:
    who decided, when, with what comment. Every step is kept in ``events``."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="communication_requests"
    )
    requested_by = models.CharField("à la demande de", max_length=12, choices=PartyRole.choices)
    subject = models.CharField("objet", max_length=200)
    medium = models.CharField("support", max_length=12, choices=CommunicationMedium.choices)
    channel = models.CharField(
        "diffusion",
        max_length=200,
        help_text="Où : site, journal, lieux d'affichage, réseau social…",
    )
    planned_on = models.DateField("diffusion prévue le", validators=[validate_plausible_date])
    description = models.TextField("contenu", blank=True)
    attachment = models.FileField("maquette ou projet", upload_to="communication/", blank=True)
    attachment_name = models.CharField("nom du fichier", max_length=255, blank=True)
    shows_mention = models.BooleanField(
        "la mention du soutien du Département figure sur le support", default=False
    )
    shows_logo = models.BooleanField("le logo du Département figure sur le support", default=False)
    submitted_on = models.DateField("demandée le", validators=[validate_plausible_date])
    status = models.CharField(
        "état",
        max_length=20,
        choices=CommunicationStatus.choices,
        default=CommunicationStatus.PENDING,
    )
    decided_on = models.DateField(
        "décision le", null=True, blank=True, validators=[validate_plausible_date]
    )
    decided_by = models.CharField("décision prise par", max_length=150, blank=True)
    decision_comment = models.TextField("motif ou modifications demandées", blank=True)
    # Art. 4.1: a publication is under both parties' editorial responsibility.
    requester_validated_by = models.CharField(
        "validée pour le demandeur par", max_length=150, blank=True
    )

    class Meta:
        verbose_name = "demande de communication"
        verbose_name_plural = "demandes de communication"
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_medium_display()}, {self.planned_on:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:communication_detail",
            kwargs={"pk": self.agreement_id, "request_pk": self.pk},
        )

    @property
    def decider(self) -> str:
        """The party whose authorisation is needed: the other one."""
        if self.requested_by == PartyRole.PARTNER:
            return PartyRole.DEPARTMENT
        return PartyRole.PARTNER

    @property
    def is_written(self) -> bool:
        return self.medium != CommunicationMedium.ORAL

    @property
    def is_open(self) -> bool:
        return self.status in (CommunicationStatus.PENDING, CommunicationStatus.CHANGES_REQUESTED)

    @property
    def missing_elements(self) -> list[str]:
        """What Art. 5 requires on a partner's written support and this one lacks."""
        if self.requested_by != PartyRole.PARTNER or not self.is_written:
            return []
        missing = []
        if not self.shows_mention:
            missing.append("la mention du soutien du Département")
        if not self.shows_logo:
            missing.append("le logo du Département")
        return missing

    def clean(self) -> None:
        errors = {}
        if self.submitted_on and self.planned_on and self.planned_on < self.submitted_on:
            errors["planned_on"] = (
                "L'autorisation est préalable (art. 5) : la diffusion ne peut pas précéder la "
                "demande."
            )
        if self.decided_on and self.submitted_on and self.decided_on < self.submitted_on:
            errors["decided_on"] = "La décision ne peut pas précéder la demande."
        if errors:
            raise ValidationError(errors)


class CommunicationEvent(models.Model):
    """One step of a communication request: submitted, decided, changed, withdrawn."""

    request = models.ForeignKey(
        CommunicationRequest, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("le", default=timezone.now)
    actor = models.CharField("par", max_length=150)
    action = models.CharField("étape", max_length=120)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "étape d'une demande de communication"
        verbose_name_plural = "étapes des demandes de communication"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y} · {self.action} · {self.actor}"


class Annex(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="annexes")
    number = models.PositiveSmallIntegerField("n°")
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("contenu", blank=True)
    file = models.FileField("fichier", upload_to="annexes/", blank=True)

    class Meta:
        verbose_name = "annexe"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="annex_unique_number")
        ]

    def __str__(self) -> str:
        return f"Annexe {self.number} — {self.title}"


class Amendment(TimeStampedModel):
    """An avenant (Art. 8.2): dated, signed by each party, effective from a date."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField("n°")
    subject = models.CharField("objet", max_length=300)
    dated_on = models.DateField("daté du", validators=[validate_plausible_date])
    effective_from = models.DateField("prend effet le", validators=[validate_plausible_date])
    department_signed_on = models.DateField(
        "signé par le Département le", null=True, blank=True, validators=[validate_plausible_date]
    )
    partner_signed_on = models.DateField(
        "signé par le bénéficiaire le", null=True, blank=True, validators=[validate_plausible_date]
    )
    text = models.TextField("texte de l'avenant", blank=True, help_text="Le texte signé, tel quel.")

    class Meta:
        verbose_name = "avenant"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="amendment_unique_number")
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} — {self.subject}"

    @property
    def is_signed(self) -> bool:
        return bool(self.department_signed_on and self.partner_signed_on)


class AmendmentArticle(models.Model):
    """The new wording an amendment gives an article ("L'article 6 est ainsi rédigé : …")."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="articles")
    article = models.CharField(
        "article modifié", max_length=10, help_text="Numéro de l'article, ex. : 6 ou 1.2"
    )
    text = models.TextField("nouvelle rédaction")

    class Meta:
        verbose_name = "article modifié"
        verbose_name_plural = "articles modifiés"
        ordering = ["amendment__number", "article"]
        constraints = [
            models.UniqueConstraint(fields=["amendment", "article"], name="amendment_article_once")
        ]

    def __str__(self) -> str:
        return f"Article {self.article} (avenant n° {self.amendment.number})"


class CommitmentQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """Commitments in effect on ``day``: the original ones and those of signed amendments.

        A commitment introduced by an amendment counts from the amendment's effective date
        once both parties signed it; one replaced by a signed amendment stops counting then.
        Unsigned amendments change nothing.
        """
        signed = Q(
            introduced_by__department_signed_on__isnull=False,
            introduced_by__partner_signed_on__isnull=False,
        )
        introduced = Q(introduced_by__isnull=True) | (
            signed & Q(introduced_by__effective_from__lte=day)
        )
        ended = Q(
            ended_by__isnull=False,
            ended_by__department_signed_on__isnull=False,
            ended_by__partner_signed_on__isnull=False,
            ended_by__effective_from__lte=day,
        )
        return self.filter(introduced).exclude(ended)


class Commitment(models.Model):
    """A line of the Art. 1.2 table: "2 journées / par semaine / présentiel" at a place."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    place = models.ForeignKey(
        "places.Place", verbose_name="lieu", on_delete=models.PROTECT, related_name="commitments"
    )
    count = models.PositiveSmallIntegerField("nombre", validators=[MinValueValidator(1)])
    unit = models.CharField("unité", max_length=10, choices=CommitmentUnit.choices)
    frequency = models.CharField(
        "fréquence",
        max_length=12,
        choices=CommitmentFrequency.choices,
        default=CommitmentFrequency.WEEKLY,
    )
    modality = models.CharField(
        "modalité", max_length=10, choices=Modality.choices, default=Modality.ON_SITE
    )
    position = models.PositiveSmallIntegerField(default=0)
    introduced_by = models.ForeignKey(
        Amendment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="introduced_commitments",
    )
    ended_by = models.ForeignKey(
        Amendment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ended_commitments",
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        verbose_name = "engagement"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.place} : {self.label}"

    @property
    def count_label(self) -> str:
        return unit_count(self.unit, self.count)

    @property
    def label(self) -> str:
        return f"{self.count_label} {self.get_frequency_display().lower()}"

    @property
    def half_days(self) -> int:
        return self.count * (2 if self.unit == CommitmentUnit.DAY else 1)

    @property
    def weekly_half_days(self) -> Decimal:
        return self.half_days * WEEKLY_FACTOR[self.frequency]

    @property
    def weekly_hours(self) -> Decimal:
        hours = self.count * self.agreement.hours_for(self.unit)
        return hours * WEEKLY_FACTOR[self.frequency]


class AlertLog(models.Model):
    """One deadline alert e-mailed to one recipient, so a re-run never sends it twice."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField("type d'alerte", max_length=40)
    due_on = models.DateField("échéance")
    recipient = models.EmailField("destinataire")
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "alerte envoyée"
        verbose_name_plural = "alertes envoyées"
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind", "due_on", "recipient"], name="alert_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on:%d/%m/%Y} → {self.recipient}"

"""Mandates: a beneficiary (mandant) authorises the Département's team (mandataire, through the
adviser who signs) to act on their behalf (convention, art. 2).

Personal data — destroyed at the next purge once the procedure is completed or the mandate
revoked, and one month after expiry otherwise (see ``privacy.py``). The signed scan is a file
under ``MEDIA_ROOT/mandates/`` with a random name, served only by a permission-checked view; no
copy of the identity document is ever stored (type, verifier and time only). Scans are
versioned (``MandateScan``): a new upload never overwrites nor deletes the previous one.
"""

import hashlib
import json
from datetime import UTC

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from relais.core.models import TimeStampedModel, entered_by

from .enums import ActionKind, Binding, Duration, IdentityDocument, Mode, ProcedureFamily, Status
from .texts import INFORMATION_TEXTS, VERSION_CHOICES, information_text

# "Until the procedure ends" still has a ceiling: no mandate outlives 12 months.
DURATIONS = {
    Duration.PROCEDURE_END: relativedelta(months=12),
    Duration.ONE_DAY: relativedelta(days=1),
    Duration.ONE_MONTH: relativedelta(months=1),
    Duration.SIX_MONTHS: relativedelta(months=6),
    Duration.TWELVE_MONTHS: relativedelta(months=12),
}
MAX_NAMED_PROCEDURES = 10
MAX_PROCEDURE_LENGTH = 120


def _iso(moment) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


class MandateQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, completed_at__isnull=True, expires_at__gt=now)

    def with_status(self, status: str, now=None):
        now = now or timezone.now()
        if status == Status.REVOKED:
            return self.filter(revoked_at__isnull=False)
        if status == Status.COMPLETED:
            return self.filter(revoked_at__isnull=True, completed_at__isnull=False)
        if status == Status.EXPIRED:
            return self.filter(
                revoked_at__isnull=True, completed_at__isnull=True, expires_at__lte=now
            )
        return self.active(now)


class Mandate(TimeStampedModel):
    """A mandate given by a beneficiary. Personal data (see the module docstring)."""

    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name="mandant",
        on_delete=models.CASCADE,
        related_name="mandates",
    )
    advisor = models.ForeignKey(
        "team.Advisor",
        verbose_name="conseiller signataire (mandataire)",
        on_delete=models.PROTECT,
        related_name="+",
    )
    binds = models.CharField(
        "mandat donné à", max_length=10, choices=Binding.choices, default=Binding.TEAM
    )
    mode = models.CharField("modalité", max_length=10, choices=Mode.choices)
    identity_document_type = models.CharField(
        "pièce d'identité présentée", max_length=20, choices=IdentityDocument.choices
    )
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="identité vérifiée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    identity_verified_at = models.DateTimeField("identité vérifiée le")
    information_text_version = models.CharField(
        "version de l'information donnée", max_length=20, choices=VERSION_CHOICES
    )
    scope_families = models.JSONField("familles de démarches", default=list, blank=True)
    named_procedures = models.JSONField("démarches désignées", default=list, blank=True)
    covers_data_requests = models.BooleanField(
        "couvre les demandes de communication de données personnelles", default=False
    )
    duration = models.CharField("durée", max_length=15, choices=Duration.choices)
    signed_at = models.DateTimeField("signé le")
    expires_at = models.DateTimeField("expire le", editable=False)
    completed_at = models.DateTimeField("démarche aboutie le", null=True, blank=True)
    revoked_at = models.DateTimeField("retiré le", null=True, blank=True)
    revocation_reason = models.CharField("motif du retrait", max_length=200, blank=True)
    # Who recorded the revocation, printed on the receipt (the journal keeps it too).
    revoked_by = entered_by("retrait enregistré par")
    # Families withdrawn one by one (family code → ISO date and time): the signed scope never
    # changes (the hash covers it), so what is withdrawn is recorded beside it.
    revoked_families = models.JSONField(
        "familles de démarches retirées", default=dict, blank=True, editable=False
    )
    # A renewal is a new mandate, signed again on site, with the scope of the one it renews.
    renews = models.ForeignKey(
        "self",
        verbose_name="renouvelle le mandat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="renewals",
    )
    integrity_hash = models.CharField("empreinte SHA-256", max_length=64, editable=False)
    # The latest version of the signed scan; the earlier ones stay in ``scans``.
    current_scan = models.OneToOneField(
        "MandateScan",
        verbose_name="mandat signé numérisé (version en vigueur)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = entered_by("saisi par")

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = "mandat"
        verbose_name_plural = "mandats"
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("signed_at")),
                name="mandate_expires_after_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"Mandat n° {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("mandates:detail", args=[self.pk])

    # --- Status ------------------------------------------------------------------------------

    def status_at(self, now=None) -> Status:
        now = now or timezone.now()
        if self.revoked_at:
            return Status.REVOKED
        if self.completed_at:
            return Status.COMPLETED
        if self.expires_at <= now:
            return Status.EXPIRED
        return Status.ACTIVE

    @property
    def status(self) -> Status:
        return self.status_at()

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    # --- Content -----------------------------------------------------------------------------

    @property
    def family_labels(self) -> list[str]:
        labels = dict(ProcedureFamily.choices)
        return [labels.get(code, code) for code in self.scope_families]

    @property
    def active_families(self) -> list[str]:
        """The families still covered: the signed scope minus those withdrawn since."""
        return [code for code in self.scope_families if code not in self.revoked_families]

    @property
    def withdrawn_families(self) -> list[dict]:
        """Families withdrawn one by one, with their label and when (for pages and PDFs)."""
        from django.utils.dateparse import parse_datetime

        return [
            {
                "code": code,
                "label": self.get_family_label(code),
                "at": parse_datetime(self.revoked_families[code]),
            }
            for code in self.scope_families
            if code in self.revoked_families
        ]

    @property
    def covered_procedures(self) -> list[str]:
        """Everything the mandate covers, in words: families, named procedures, data requests."""
        covered = [self.get_family_label(code) for code in self.scope_families]
        covered += list(self.named_procedures)
        if self.covers_data_requests:
            covered.append("Demandes de communication de données personnelles")
        return covered

    @property
    def scan_missing(self) -> bool:
        return self.current_scan_id is None

    @property
    def scan_deadline(self):
        """Past this moment, no action is recorded until the signed mandate is uploaded."""
        from datetime import timedelta

        return self.signed_at + timedelta(days=settings.RELAIS_MANDATE_SCAN_GRACE_DAYS)

    @staticmethod
    def get_family_label(code: str) -> str:
        return dict(ProcedureFamily.choices).get(code, code)

    @property
    def information_paragraphs(self) -> tuple[str, ...]:
        return information_text(self.information_text_version)

    def compute_expiry(self):
        return self.signed_at + DURATIONS[Duration(self.duration)]

    def canonical_content(self) -> str:
        """What the integrity hash covers: who, what, for how long, and the text shown.

        Status fields (completion, revocation) and the scan are left out: they change after
        signature, the signed content never does.
        """
        beneficiary = self.beneficiary
        text = "\n".join(information_text(self.information_text_version))
        content = {
            "mandate": self.pk,
            "mandant": {
                "id": beneficiary.pk,
                "first_name": beneficiary.first_name,
                "last_name": beneficiary.last_name,
                "birth_year": beneficiary.birth_year,
            },
            "mandataire": {"advisor": self.advisor_id, "binds": self.binds},
            "mode": self.mode,
            "identity": {
                "document": self.identity_document_type,
                "verified_by": self.identity_verified_by_id,
                "verified_at": _iso(self.identity_verified_at),
            },
            "information": {
                "version": self.information_text_version,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
            "scope": {
                "families": sorted(self.scope_families),
                "procedures": list(self.named_procedures),
                "data_requests": self.covers_data_requests,
            },
            "duration": self.duration,
            "signed_at": _iso(self.signed_at),
            "expires_at": _iso(self.expires_at),
        }
        return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_content().encode()).hexdigest()

    @property
    def integrity_ok(self) -> bool:
        return bool(self.integrity_hash) and self.integrity_hash == self.compute_hash()

    def clean(self) -> None:
        errors = {}
        families = self.scope_families if isinstance(self.scope_families, list) else None
        procedures = self.named_procedures if isinstance(self.named_procedures, list) else None
        if families is None or any(code not in ProcedureFamily.values for code in families):
            errors["scope_families"] = "Famille de démarches inconnue."
        elif len(set(families)) != len(families):
            errors["scope_families"] = "Une famille est cochée deux fois."
        if procedures is None or any(
            not isinstance(p, str) or not p.strip() or len(p) > MAX_PROCEDURE_LENGTH
            for p in procedures
        ):
            errors["named_procedures"] = (
                f"Une démarche par ligne, {MAX_PROCEDURE_LENGTH} caractères au plus."
            )
        elif len(procedures) > MAX_NAMED_PROCEDURES:
            errors["named_procedures"] = f"{MAX_NAMED_PROCEDURES} démarches au plus."
        if not errors and not families and not procedures and not self.covers_data_requests:
            errors["scope_families"] = (
                "Indiquez au moins une famille de démarches, une démarche désignée ou les "
                "demandes de communication de données."
            )
        if self.information_text_version not in INFORMATION_TEXTS:
            errors["information_text_version"] = "Version du texte d'information inconnue."
        if (
            self.signed_at
            and self.identity_verified_at
            and self.identity_verified_at > self.signed_at
        ):
            errors["identity_verified_at"] = "L'identité est vérifiée avant la signature du mandat."
        if self.revoked_at and self.completed_at:
            errors["revoked_at"] = "Un mandat est soit retiré, soit arrivé à son terme."
        if self.current_scan is not None and self.current_scan.mandate_id != self.pk:
            errors["current_scan"] = "Ce fichier est celui d'un autre mandat."
        if errors:
            raise ValidationError(errors)


class MandateAction(models.Model):
    """One action done under a mandate. Personal data (what was done for whom), destroyed with
    its mandate; the journal keeps the same facts without the person (procedure, action,
    adviser, time).
    """

    mandate = models.ForeignKey(
        Mandate, verbose_name="mandat", on_delete=models.CASCADE, related_name="actions"
    )
    family = models.CharField(
        "famille de démarches", max_length=30, choices=ProcedureFamily.choices, blank=True
    )
    procedure = models.CharField("démarche", max_length=MAX_PROCEDURE_LENGTH)
    kind = models.CharField("action", max_length=20, choices=ActionKind.choices)
    advisor = models.ForeignKey(
        "team.Advisor", verbose_name="conseiller", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("date et heure", default=timezone.now)

    class Meta:
        verbose_name = "action sous mandat"
        verbose_name_plural = "actions sous mandat"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y})"


class MandateScan(models.Model):
    """One version of a mandate's signed scan. Personal data (the signed mandate: the person's
    name, signature and what they entrust), destroyed with its mandate.

    Uploading a scan adds a version and makes it the mandate's ``current_scan``; earlier versions
    are kept, never overwritten nor deleted, until the mandate itself is destroyed (purge,
    erasure): a mistaken or malicious replacement can be seen and proven. The file lives in the
    default storage under ``mandates/`` with a random name (``scans.py``) and is served only by
    ``mandates:scan`` and ``mandates:scan_version``.
    """

    mandate = models.ForeignKey(
        Mandate, verbose_name="mandat", on_delete=models.CASCADE, related_name="scans"
    )
    version = models.PositiveSmallIntegerField("version")
    file = models.FileField("mandat signé numérisé", upload_to="mandates/", max_length=200)
    content_type = models.CharField("type du fichier", max_length=20)
    sha256 = models.CharField("empreinte SHA-256 du fichier", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)

    class Meta:
        verbose_name = "mandat signé numérisé"
        verbose_name_plural = "mandats signés numérisés"
        ordering = ["mandate", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "version"], name="mandate_scan_one_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Mandat signé n° {self.mandate_id}, version {self.version}"

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1]

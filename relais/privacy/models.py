"""The journal (append-only, hash-chained), its verifications, and the purge runs.

None of these tables holds personal data: the journal names people by account id and role,
subjects by type and id, and purge runs only count rows.
"""

from django.db import models
from django.utils import timezone

from relais.core import french

from .enums import JournalAction

GENESIS_HASH = "0" * 64


class JournalAppendOnlyError(Exception):
    """Raised before the database does: a journal entry is never changed nor deleted."""


class JournalEntry(models.Model):
    """One action under mandate, personal-data access, purge or rights request.

    Append-only: written by ``journal.journal_append`` only, and the database refuses UPDATE
    and DELETE on this table (triggers of its first migration; on PostgreSQL the application's role
    also lacks the privileges, see ``db_roles``). ``hash`` is the HMAC-SHA256, with the key
    ``key_id`` names (``journal_keys``), of the canonical JSON of the content and
    ``previous_hash``, so ``relais verify-journal`` detects an edited, deleted, inserted or
    reordered entry even when someone bypassed the triggers, and nobody without the key can
    recompute the chain. Entries written before the key existed have an empty ``key_id`` and a
    plain SHA-256 ``hash``.
    """

    sequence = models.PositiveBigIntegerField("n°", unique=True)
    timestamp = models.DateTimeField("horodatage", default=timezone.now)
    # Plain ids, no foreign key: the journal must outlive and never cascade from what it names.
    actor_id = models.PositiveBigIntegerField("compte de l'auteur", null=True, blank=True)
    actor_role = models.CharField("rôle de l'auteur", max_length=30)
    action = models.CharField("action", max_length=30, choices=JournalAction.choices)
    subject_type = models.CharField("type de l'objet", max_length=100, blank=True)
    subject_id = models.CharField("identifiant de l'objet", max_length=64, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    previous_hash = models.CharField("empreinte précédente", max_length=64)
    hash = models.CharField("empreinte", max_length=64, unique=True)
    # Which key signed the entry (an id derived from the key, never the key); empty: an entry of
    # the plain SHA-256 chain, written before the journal had a key.
    key_id = models.CharField("clé", max_length=16, blank=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "entrées du journal"
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"n° {self.sequence} · {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise JournalAppendOnlyError("Une entrée du journal ne peut pas être modifiée.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise JournalAppendOnlyError("Une entrée du journal ne peut pas être supprimée.")


class JournalVerification(models.Model):
    """The outcome of one ``relais verify-journal``: an anchor for the next verification.

    A hash chain alone cannot tell that its last entries were deleted; each verification
    remembers the last (sequence, hash) it saw, and the next one checks it is still there.
    """

    verified_at = models.DateTimeField("vérifié le", default=timezone.now)
    ok = models.BooleanField("intègre")
    entry_count = models.PositiveBigIntegerField("entrées")
    last_sequence = models.PositiveBigIntegerField("dernier n°", null=True, blank=True)
    last_hash = models.CharField("dernière empreinte", max_length=64, blank=True)
    message = models.TextField("résultat")

    class Meta:
        verbose_name = "vérification du journal"
        verbose_name_plural = "vérifications du journal"
        ordering = ["-verified_at", "-pk"]
        get_latest_by = "verified_at"

    def __str__(self) -> str:
        return f"{french.short_datetime(self.verified_at)} · {'intègre' if self.ok else 'altéré'}"


class PurgeRun(models.Model):
    """One run of ``relais purge``: how many rows of each category were destroyed or anonymised."""

    started_at = models.DateTimeField("commencée le", default=timezone.now)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    run_for = models.DateField("date de référence")
    counts = models.JSONField("nombre par catégorie", default=dict, blank=True)
    total = models.PositiveIntegerField("total", default=0)
    errors = models.JSONField("erreurs", default=list, blank=True)

    class Meta:
        verbose_name = "purge"
        verbose_name_plural = "purges"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Purge du {self.run_for:%d/%m/%Y} ({self.total})"

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Data-subject rights (GDPR art. 15 to 21): the register of requests ----------------------


class RightsKind(models.TextChoices):
    ACCESS = "access", "Accès (copie des données)"
    RECTIFICATION = "rectification", "Rectification"
    ERASURE = "erasure", "Effacement"
    OPPOSITION = "opposition", "Opposition au traitement"
    PORTABILITY = "portability", "Portabilité (export lisible par machine)"


class RightsChannel(models.TextChoices):
    IN_PERSON = "in_person", "Sur place, auprès d'un conseiller"
    MAIL = "mail", "Courrier"
    EMAIL = "email", "Courriel"
    PHONE = "phone", "Téléphone"


class RightsStatus(models.TextChoices):
    OPEN = "open", "En cours"
    DONE = "done", "Traitée"
    REFUSED = "refused", "Refusée (motivée)"


class RightsRequest(models.Model):
    """One request to exercise a data-subject right, with its one-month deadline (art. 12.3).

    Personal data (who asked what): the register keeps the proof that a request was answered,
    then is deleted 3 years after closing (see ``relais/rights/services.py``). The beneficiary may
    be unknown (no record, or not identified yet): ``requester_label`` then says who asked.
    """

    beneficiary = models.ForeignKey(
        "beneficiaries.Beneficiary",
        verbose_name="personne concernée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rights_requests",
    )
    requester_label = models.CharField(
        "demandeur (sans fiche)",
        max_length=150,
        blank=True,
        help_text="Seulement si la personne n'a pas de fiche ou n'est pas encore identifiée.",
    )
    kind = models.CharField("droit exercé", max_length=20, choices=RightsKind.choices)
    channel = models.CharField("reçue par", max_length=20, choices=RightsChannel.choices)
    received_on = models.DateField("reçue le")
    due_on = models.DateField("réponse due le", editable=False)
    status = models.CharField(
        "état", max_length=10, choices=RightsStatus.choices, default=RightsStatus.OPEN
    )
    handled_by = models.ForeignKey(
        "accounts.User",
        verbose_name="traitée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField("close le", null=True, blank=True)
    outcome = models.TextField("réponse apportée", blank=True)
    reminders_sent = models.JSONField("relances envoyées", default=list, blank=True)
    # Art. 12.3: the deadline may be extended by two months, with the reasons, the person being
    # informed within the first month.
    extended_on = models.DateField("délai prolongé le", null=True, blank=True, editable=False)
    extension_reason = models.TextField("motif de la prolongation", blank=True, editable=False)
    person_informed_on = models.DateField(
        "personne informée de la prolongation le", null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="enregistrée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "demande d'exercice des droits"
        verbose_name_plural = "demandes d'exercice des droits"
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="rights_request_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True)
                | (~models.Q(status="open") & models.Q(closed_on__isnull=False)),
                name="rights_request_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande n° {self.pk} ({self.get_kind_display().lower()})"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == RightsStatus.OPEN and today > self.due_on

    def is_due_soon(self, today=None) -> bool:
        """Open and due within the next 7 days (today included), not yet late."""
        today = today or timezone.localdate()
        return self.status == RightsStatus.OPEN and 0 <= (self.due_on - today).days <= 7

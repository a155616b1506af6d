"""The outbox: every e-mail and SMS the application sends, written before it is sent."""

from django.db import models


class OutboxChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "À envoyer"
    SENDING = "sending", "Envoi en cours"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"


class OutboxMessageQuerySet(models.QuerySet):
    def needing_attention(self):
        """What the coordinators must see: failed, and waiting for a retry after a failure."""
        return self.filter(
            models.Q(status=OutboxStatus.FAILED)
            | models.Q(status=OutboxStatus.PENDING, attempts__gt=0)
            | models.Q(status=OutboxStatus.SENDING)
        )


class OutboxMessage(models.Model):
    """One e-mail or SMS, committed with the action that sends it, then sent by a task.

    PERSONAL DATA: the recipient and the text; deleted 3 months after it was written.

    Sent once at most: a task claims the row (``pending`` → ``sending``, under a row lock) before
    talking to the provider, and only a ``pending`` row can be claimed. A provider's refusal
    brings it back to ``pending`` with a later ``next_attempt_at`` (backoff), up to
    ``RELAIS_OUTBOX_MAX_ATTEMPTS``; a worker that dies while talking to the provider leaves it
    ``sending``, and it is then marked ``failed`` (« peut-être parti ») for a person to check
    rather than sent twice.
    """

    channel = models.CharField("canal", max_length=10, choices=OutboxChannel.choices)
    recipient = models.CharField("destinataire", max_length=254)
    from_email = models.CharField("expéditeur", max_length=254, blank=True)
    subject = models.CharField("objet", max_length=255, blank=True)
    body = models.TextField("texte")
    # The same Message-ID on every attempt: a receiving system can tell a retry for what it is.
    message_id = models.CharField("Message-ID", max_length=255, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    claimed_by = models.CharField("tâche d'envoi", max_length=64, blank=True)
    claimed_at = models.DateTimeField("envoi commencé le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    provider_response = models.TextField("réponse du prestataire", blank=True)
    error = models.TextField("erreur", blank=True)
    # What the message is about, and who wants to know the outcome: a function
    # ``f(message)`` (dotted path) called once the message is sent or has failed for good.
    origin = models.CharField("objet concerné", max_length=100, blank=True)
    on_outcome = models.CharField("suite", max_length=200, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "message sortant"
        verbose_name_plural = "messages sortants"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.pk} — {self.get_status_display()}"


class OutboxAttachment(models.Model):
    """A file attached to an outbox e-mail (a calendar invitation), kept with it."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField("nom", max_length=255)
    content = models.BinaryField("contenu")
    mimetype = models.CharField("type", max_length=255)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

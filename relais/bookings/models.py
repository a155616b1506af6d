"""Registrations of residents to workshop sessions (no account), and every message sent to them."""

import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse

from relais.core.models import TimeStampedModel

from .enums import (
    Attendance,
    MessageChannel,
    MessageKind,
    MessageStatus,
    RegistrationSource,
    RegistrationStatus,
)
from .tokens import make_token
from .validators import display_phone, validate_phone

# Personal data of a registration is erased this long after its session (see privacy.py).
RETENTION_AFTER_SESSION = relativedelta(months=3)
TOKEN_PURPOSE = "registration"  # noqa: S105 - a label mixed into the HMAC, not a secret


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        # First come, first served: creation time, then id for rows created in the same instant.
        return self.filter(status=RegistrationStatus.WAITING).order_by("created_at", "pk")

    def active(self):
        return self.filter(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING])


class Registration(TimeStampedModel):
    """One resident's seat (or place in the waiting list) for a workshop session.

    PERSONAL DATA: first name, last name, phone and/or e-mail of a resident, who has no account,
    with the version of the consent text accepted. Retention: erased 3 months after the end of
    the session (``RETENTION_AFTER_SESSION``; rule in ``bookings/privacy.py``, applied by the
    privacy app's purge): the row stays, anonymised, so that status and attendance still count
    in the activity reports (``queries.session_attendance_counts``).
    """

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True)
    session = models.ForeignKey(
        "workshops.WorkshopSession",
        verbose_name="séance",
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField("e-mail", blank=True)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    source = models.CharField(
        "origine", max_length=20, choices=RegistrationSource.choices, default="online"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="inscrit par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_version = models.PositiveSmallIntegerField("version du consentement accepté")
    consent_at = models.DateTimeField("consentement donné le")
    # When the seat was obtained: at registration, or when promoted from the waiting list.
    confirmed_at = models.DateTimeField("place confirmée le", null=True, blank=True)
    promoted_at = models.DateTimeField("sorti de liste d'attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    attendance = models.CharField("présence", max_length=20, choices=Attendance.choices, blank=True)
    attendance_marked_at = models.DateTimeField("présence notée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("données effacées le", null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=False) | ~models.Q(phone="", email=""),
                name="registration_has_a_contact",
            ),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return f"Inscription anonymisée n° {self.pk}"
        return f"{self.first_name} {self.last_name}"

    @property
    def token(self) -> str:
        return make_token(TOKEN_PURPOSE, self.public_id)

    def get_manage_url(self) -> str:
        """The secret link that lets the person see and cancel the registration."""
        return reverse("bookings:manage", kwargs={"public_id": self.public_id, "token": self.token})

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def is_active(self) -> bool:
        return self.status in {RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING}


class Message(models.Model):
    """Every e-mail or SMS sent (or not) to a resident, with its outcome.

    PERSONAL DATA: the recipient (e-mail address or phone number); erased with its registration,
    3 months after the session. The body is not kept: it is rebuilt from the templates.

    Once: a row is created ``queued`` (unique per registration, kind and channel) with its
    outbox message (``relais.messaging``) in the action's transaction; the outbox sends it,
    retries a refusal, and marks this row ``sent`` or ``failed``. The outbox never sends a
    message twice: one interrupted mid-send is marked failed for a person to check — a missed
    message is better than a resident receiving the same SMS twice (docs/operations.md).
    """

    channel = models.CharField("canal", max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField("destinataire", max_length=254, blank=True)
    kind = models.CharField("type", max_length=30, choices=MessageKind.choices)
    registration = models.ForeignKey(
        Registration,
        verbose_name="inscription",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    appointment = models.ForeignKey(
        # A string: the appointments app sits above this one and imports it, not the reverse.
        "appointments.Appointment",
        verbose_name="rendez-vous",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    subject = models.CharField("objet", max_length=200, blank=True)
    status = models.CharField(
        "statut", max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "message"
        verbose_name_plural = "messages"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "channel"],
                condition=models.Q(registration__isnull=False),
                name="message_once_per_registration_kind_channel",
            ),
            models.UniqueConstraint(
                fields=["appointment", "kind", "channel"],
                condition=models.Q(appointment__isnull=False),
                name="message_once_per_appointment_kind_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()}) — {self.status}"

"""Retention of the outbox (read by relais.privacy)."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db.models import QuerySet

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import PUBLIC_INTEREST, RetentionRule, register

OUTBOX_TERM = relativedelta(months=3)


def outbox_due(cutoff: datetime) -> QuerySet:
    """Messages written before ``cutoff``, whatever came of them (never one being sent)."""
    return (
        apps.get_model("messaging", "OutboxMessage")
        .objects.filter(created_at__lt=cutoff)
        .exclude(status="sending")
    )


register(
    RetentionRule(
        category="outbox_messages",
        model="messaging.OutboxMessage",
        fields=("recipient", "subject", "body", "from_email", "claimed_by"),
        label="Messages sortants (e-mails et SMS, avec leurs pièces jointes)",
        processing="Envoi des messages de l'application (e-mails, SMS)",
        data_subjects="Habitants inscrits ou ayant pris rendez-vous, personnel, membres du comité",
        purpose="Envoyer chaque message une fois, le réessayer en cas d'échec, et montrer aux "
        "coordinateurs ceux qui ne sont pas partis.",
        legal_basis=PUBLIC_INTEREST,
        term=OUTBOX_TERM,
        term_label="3 mois",
        start_event="Écriture du message",
        due=outbox_due,
        action=RetentionAction.DELETE,
        recipients="Coordinateurs et administrateurs du Département",
        statistics="Aucune : les envois de chaque inscription restent comptés par "
        "bookings.Message et les convocations par committee.MeetingInvitation.",
    )
)

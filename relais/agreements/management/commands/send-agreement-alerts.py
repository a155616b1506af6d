"""``relais send-agreement-alerts``: e-mail the coordinators about agreement deadlines.

Safe from cron at any frequency: each (agreement, kind, due date, recipient) is e-mailed once,
recorded in AlertLog in the same transaction as the sending, so a re-run sends nothing new and
a failed sending leaves nothing recorded (it is retried by the next run).
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from relais.accounts.queries import coordinator_emails
from relais.agreements.deadlines import Deadline, Kind, upcoming_deadlines
from relais.agreements.models import AlertLog
from relais.core.french import french_date
from relais.core.site import site_url
from relais.messaging.outbox import outbox_email

# How far ahead each kind of deadline is worth an e-mail (None: whenever it is listed).
ALERT_WINDOWS = {
    Kind.OPPOSITION_DEADLINE: 30,
    Kind.HARD_END: 60,
    Kind.END: 60,
    Kind.TERMINATION: None,
    Kind.ENDED: None,
    # Art. 4.2: a month to obtain the next insurance certificate.
    Kind.INSURANCE_EXPIRY: 30,
}
HORIZON_DAYS = max(days for days in ALERT_WINDOWS.values() if days is not None)


def should_alert(deadline: Deadline, today: date) -> bool:
    """Whether a listed deadline deserves an e-mail today (and has a date to key it on)."""
    if deadline.due_on is None:
        return False
    if deadline.kind == Kind.UNSIGNED:
        # Its due date is the reminder date (30 days after sending): alert once it has passed.
        return deadline.due_on < today
    if deadline.kind not in ALERT_WINDOWS:
        return False
    window = ALERT_WINDOWS[deadline.kind]
    return window is None or (deadline.due_on - today).days <= window


SUBJECTS = {
    Kind.OPPOSITION_DEADLINE: "Date limite d'opposition à la reconduction",
    Kind.HARD_END: "Fin prochaine d'une convention",
    Kind.END: "Fin prochaine d'une convention",
    Kind.TERMINATION: "Résiliation en cours",
    Kind.ENDED: "Convention terminée",
    Kind.UNSIGNED: "Signatures en attente depuis plus de 30 jours",
    Kind.INSURANCE_EXPIRY: "Attestation d'assurance du bénéficiaire bientôt expirée",
}


def alert_message(deadline: Deadline) -> tuple[str, str]:
    agreement = deadline.agreement
    link = site_url(agreement.get_absolute_url())
    subject = f"[Relais] {SUBJECTS[deadline.kind]} — {agreement.partner}"
    lines = [
        "Bonjour,",
        "",
        "Une échéance de convention demande votre attention.",
        "",
        f"Convention : {agreement.title}",
        f"Bénéficiaire : {agreement.partner}",
        f"Échéance : {deadline.label}",
        f"Date : {french_date(deadline.due_on)}",
    ]
    if deadline.hint:
        lines.append(f"À faire : {deadline.hint}")
    lines += [
        "",
        f"Voir la convention : {link}",
        "",
        "—",
        "Relais, plateforme de l'inclusion numérique du "
        f"{settings.RELAIS_DEPARTMENT_NAME}. Message automatique, envoyé une seule fois "
        "pour cette échéance.",
    ]
    return subject, "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Envoie aux coordinateurs actifs les alertes d'échéance des conventions (opposition, "
        "fin, résiliation, signatures en attente, convention terminée), une seule fois chacune."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche les alertes qui seraient envoyées, sans rien envoyer ni enregistrer.",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).",
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        today = today or timezone.localdate()
        recipients = coordinator_emails()
        if not recipients:
            self.stdout.write("Aucun coordinateur actif : aucune alerte envoyée.")
            return
        alerts = [d for d in upcoming_deadlines(today, HORIZON_DAYS) if should_alert(d, today)]
        sent = already = 0
        for deadline in alerts:
            subject, body = alert_message(deadline)
            for recipient in recipients:
                key = {
                    "agreement": deadline.agreement,
                    "kind": deadline.kind,
                    "due_on": deadline.due_on,
                    "recipient": recipient,
                }
                if dry_run:
                    if AlertLog.objects.filter(**key).exists():
                        already += 1
                    else:
                        sent += 1
                        self.stdout.write(f"[simulation] {recipient} : {subject}")
                    continue
                if self._send_once(key, subject, body):
                    sent += 1
                else:
                    already += 1
        summary = f"{sent} alerte(s) {'à envoyer' if dry_run else 'envoyée(s)'}"
        if dry_run:
            summary += " (simulation : rien n'a été envoyé ni enregistré)"
        self.stdout.write(f"{summary}, {already} déjà envoyée(s).")

    @staticmethod
    def _send_once(key: dict, subject: str, body: str) -> bool:
        """Record and send one alert atomically; False when it had already been sent."""
        with transaction.atomic():
            _, created = AlertLog.objects.get_or_create(**key)
            if created:
                # Committed with the log row; the outbox sends it and retries a failure.
                outbox_email(to=key["recipient"], subject=subject, body=body)
        return created

"""This app's lines in the retention table (read by relais.privacy; see its registry.py)."""

from dateutil.relativedelta import relativedelta

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    PUBLIC_INTEREST,
    RetentionRule,
    declare_no_personal_data,
    register,
)

from .models import MonthlyReportReminder

REMINDER_TERM_MONTHS = 24


def reminders_due(cutoff):
    return MonthlyReportReminder.objects.filter(sent_at__lt=cutoff)


register(
    RetentionRule(
        category="monthly_report_reminders",
        model="monthly.MonthlyReportReminder",
        fields=("recipient",),
        label="Relances des comptes rendus mensuels",
        processing="Suivi des comptes rendus d'activité des structures (art. 3.4)",
        data_subjects="Conseillers et agents des structures partenaires destinataires",
        purpose="Ne pas envoyer deux fois la même relance d'un compte rendu en retard.",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(months=REMINDER_TERM_MONTHS),
        term_label=f"{REMINDER_TERM_MONTHS} mois",
        start_event="Envoi de la relance",
        due=reminders_due,
        action=RetentionAction.DELETE,
    )
)

declare_no_personal_data(
    "monthly.MonthlyReport",
    reason="Chiffres anonymes d'une structure pour un mois ; les commentaires portent sur "
    "l'activité (le formulaire demande de ne nommer personne) ; les auteurs sont désignés par "
    "leur compte.",
)

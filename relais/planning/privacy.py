"""The planning's lines in the retention table (read by relais.privacy; see its registry.py)."""

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import RetentionRule, register

from .models import Slot, WeekVisit

PROCESSING = "Organisation des permanences de l'équipe départementale"


def slot_notes_due(cutoff):
    """Slots that ended before the cutoff and still carry a remark."""
    return Slot.objects.filter(valid_until__lt=timezone.localdate(cutoff)).exclude(note="")


def week_visits_due(cutoff):
    return WeekVisit.objects.filter(visited_at__lt=cutoff)


register(
    RetentionRule(
        category="slot_notes",
        model="planning.Slot",
        fields=("note",),
        label="Remarques sur les créneaux de permanence",
        processing=PROCESSING,
        data_subjects="Conseillers de l'équipe départementale",
        purpose="Préciser l'organisation d'un créneau (remarque libre, qui peut nommer un "
        "conseiller).",
        legal_basis="Mission d'intérêt public (art. 6.1.e RGPD)",
        term=relativedelta(months=12),
        term_label="12 mois",
        start_event="Fin de validité du créneau",
        due=slot_notes_due,
        action=RetentionAction.ANONYMISE,
        replacements={"note": ""},
        kept={"weekday": "Historique de la couverture des engagements (sans remarque)."},
        statistics="Le créneau reste, sans remarque : la couverture passée ne change pas.",
    )
)

register(
    RetentionRule(
        category="week_visits",
        model="planning.WeekVisit",
        fields=("visited_at",),
        label="Dernière consultation de « Ma semaine »",
        processing=PROCESSING,
        data_subjects="Conseillers de l'équipe départementale",
        purpose="Signaler au conseiller ce qui a changé dans son planning depuis sa dernière "
        "visite.",
        legal_basis="Mission d'intérêt public (art. 6.1.e RGPD)",
        term=relativedelta(months=6),
        term_label="6 mois",
        start_event="Dernière visite",
        due=week_visits_due,
        action=RetentionAction.DELETE,
        statistics="Aucune.",
    )
)

"""The public app's line in the retention table (read by relais.privacy; see its registry.py).

The places' public pages, feeds and posters hold no personal data. The advisers' calendar
links do (who subscribed, when): a revoked link is deleted after 3 months; a link in use lives
as long as the adviser's profile (deleted with it).
"""

from dateutil.relativedelta import relativedelta

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import RetentionRule, register

from .models import FeedToken


def revoked_feed_tokens_due(cutoff):
    return FeedToken.objects.filter(revoked_at__lt=cutoff)


register(
    RetentionRule(
        category="feed_tokens",
        model="public.FeedToken",
        fields=("token_hash", "revoked_at"),
        label="Liens d'abonnement à l'agenda des conseillers",
        processing="Organisation des permanences de l'équipe départementale",
        data_subjects="Conseillers de l'équipe départementale",
        purpose="Permettre au conseiller d'abonner son application d'agenda à ses permanences "
        "par un lien secret et révocable.",
        legal_basis="Mission d'intérêt public (art. 6.1.e RGPD)",
        term=relativedelta(months=3),
        term_label="3 mois",
        start_event="Révocation du lien",
        due=revoked_feed_tokens_due,
        action=RetentionAction.DELETE,
        statistics="Aucune.",
    )
)

"""This app's lines in the retention table (read by relais.privacy; see its registry.py).

Convention, art. 2: data are destroyed « lors de l'aboutissement de la démarche administrative
engagée, le retrait du mandat par l'utilisateur ou à défaut au terme du délai imposé par une
disposition législative ou réglementaire ». Hence two lines for the same model:

- completed or revoked mandates: destroyed by the first purge after the event (daily timer);
  the revocation receipt is printed at once, and the journal keeps the proof without the person;
- expired mandates (neither completed nor revoked): destroyed one month after expiry, the time
  for the adviser to record that the procedure ended or to hand back the documents.

Actions under a mandate and every version of its signed scan (``MandateScan``, with the file) go
with it.
"""

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import PUBLIC_INTEREST, RetentionRule, register

from .models import Mandate, MandateAction, MandateScan
from .services import mandate_destroy

MANDATE_PROCESSING = "Mandats pour agir au nom des usagers (convention, art. 2)"
SUBJECTS = "Usagers ayant donné un mandat à l'équipe départementale"
RECIPIENTS = (
    "Conseillers de l'équipe départementale (secret professionnel, convention art. 2) ; les "
    "coordinateurs ne voient que des effectifs par statut"
)
EXPIRED_TERM = relativedelta(months=1)
MANDATE_FIELDS = (
    "identity_document_type",
    "identity_verified_at",
    "scope_families",
    "named_procedures",
    "revocation_reason",
    "integrity_hash",
)


def _closed(prefix: str, cutoff) -> Q:
    return Q(**{f"{prefix}revoked_at__lt": cutoff}) | Q(**{f"{prefix}completed_at__lt": cutoff})


def _expired(prefix: str, cutoff) -> Q:
    """Expired before ``cutoff`` (the purge's cutoff for this line is now minus one month)."""
    return Q(
        **{
            f"{prefix}revoked_at__isnull": True,
            f"{prefix}completed_at__isnull": True,
            f"{prefix}expires_at__lt": cutoff,
        }
    )


def closed_mandates_due(cutoff):
    return Mandate.objects.filter(_closed("", cutoff))


def expired_mandates_due(cutoff):
    return Mandate.objects.filter(_expired("", cutoff))


def mandate_actions_due(cutoff):
    """Actions of mandates that either line above makes due (this line's term is zero)."""
    return MandateAction.objects.filter(
        _closed("mandate__", cutoff) | _expired("mandate__", cutoff - EXPIRED_TERM)
    )


def mandate_scans_due(cutoff):
    """Every version of the scan of a mandate that either line below makes due (term zero)."""
    return MandateScan.objects.filter(
        _closed("mandate__", cutoff) | _expired("mandate__", cutoff - EXPIRED_TERM)
    )


_COMMON = {
    "processing": MANDATE_PROCESSING,
    "data_subjects": SUBJECTS,
    "legal_basis": PUBLIC_INTEREST,
    "recipients": RECIPIENTS,
    "action": RetentionAction.DELETE,
}

register(
    RetentionRule(
        category="mandate_actions",
        model="mandates.MandateAction",
        fields=("procedure",),
        label="Actions faites sous mandat",
        purpose="Rendre compte à la personne de ce qui a été fait en son nom.",
        term=relativedelta(),
        term_label="avec le mandat",
        start_event="Destruction du mandat (aboutissement, retrait ou un mois après l'expiration)",
        due=mandate_actions_due,
        statistics="Le journal garde chaque action sans la personne (démarche, action, "
        "conseiller, date et heure).",
        data_description="démarche et action faites au nom de la personne",
        **_COMMON,
    )
)
register(
    RetentionRule(
        category="mandate_scans",
        model="mandates.MandateScan",
        fields=("file", "sha256"),
        label="Mandats signés numérisés (toutes les versions)",
        purpose="Prouver le mandat signé par la personne ; une version remplacée reste "
        "conservée pour qu'aucun remplacement ne fasse disparaître l'original.",
        term=relativedelta(),
        term_label="avec le mandat",
        start_event="Destruction du mandat (aboutissement, retrait ou un mois après l'expiration)",
        due=mandate_scans_due,
        statistics="Le journal garde chaque dépôt sans la personne (version, empreinte du "
        "fichier, conseiller, date et heure).",
        data_description="mandat signé numérisé (fichier PDF ou image, toutes ses versions) et "
        "son empreinte ; qui l'a déposé et quand",
        **_COMMON,
    )
)
register(
    RetentionRule(
        category="mandates_closed",
        model="mandates.Mandate",
        fields=MANDATE_FIELDS,
        label="Mandats aboutis ou retirés",
        purpose="Agir au nom et pour le compte de la personne, dans les limites de son mandat.",
        term=relativedelta(),
        term_label="purge suivante (quotidienne)",
        start_event="Aboutissement de la démarche ou retrait du mandat",
        due=closed_mandates_due,
        destroy=mandate_destroy,
        statistics="Le journal garde la signature, les actions et le retrait, sans nom.",
        data_description="mandant, type de pièce d'identité vérifiée, étendue, durée (le mandat "
        "signé numérisé : ligne « Mandats signés numérisés »)",
        **_COMMON,
    )
)
register(
    RetentionRule(
        category="mandates_expired",
        model="mandates.Mandate",
        fields=MANDATE_FIELDS,
        label="Mandats expirés",
        purpose="Agir au nom et pour le compte de la personne, dans les limites de son mandat.",
        term=EXPIRED_TERM,
        term_label="1 mois",
        start_event="Expiration du mandat (sans aboutissement ni retrait enregistré)",
        due=expired_mandates_due,
        destroy=mandate_destroy,
        statistics="Le journal garde la signature et les actions, sans nom.",
        data_description="mandant, type de pièce d'identité vérifiée, étendue, durée (le mandat "
        "signé numérisé : ligne « Mandats signés numérisés »)",
        **_COMMON,
    )
)

"""The privacy app's own line in the retention table: the register of rights requests.

(Imported by ``autodiscover_modules("privacy")`` like every app's ``privacy.py``.)
"""

from relais.privacy.enums import RetentionAction
from relais.privacy.queries import CLOSED_TERM, rights_requests_due
from relais.privacy.registry import RetentionRule, register

register(
    RetentionRule(
        category="rights_requests",
        model="privacy.RightsRequest",
        fields=("requester_label", "outcome"),
        label="Registre des demandes d'exercice des droits",
        processing="Gestion des demandes d'exercice des droits (RGPD, art. 12 à 22)",
        data_subjects="Usagers et toute personne qui exerce ses droits",
        purpose="Répondre dans le délai d'un mois et pouvoir prouver la réponse apportée.",
        legal_basis="Obligation légale (art. 6.1.c et 12 RGPD)",
        term=CLOSED_TERM,
        term_label="3 ans",
        start_event="Clôture de la demande (une opposition acceptée dure autant que la fiche)",
        due=rights_requests_due,
        action=RetentionAction.DELETE,
        recipients="Coordinateurs du Département (qui tiennent le registre avec le délégué à la "
        "protection des données) et conseillers de l'équipe départementale",
        statistics="Le journal garde la réception, la clôture et les relances, sans nom.",
    )
)

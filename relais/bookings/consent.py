"""The consent text residents accept when registering, versioned.

A registration stores the version it accepted (``Registration.consent_version``). Never edit a
published text: add a new version and point ``CURRENT_CONSENT_VERSION`` at it, so that what each
person agreed to can always be shown again. Changing it is a deliberate code change, reviewed
like any other (and needs no data migration).
"""

CONSENT_TEXTS = {
    1: (
        "J'accepte que le Département des Pyrénées-Orientales utilise mon nom, mon prénom et "
        "les coordonnées que je donne (téléphone et/ou e-mail) pour gérer mon inscription à cet "
        "atelier : confirmation, rappel, liste d'attente, changement ou annulation de la séance. "
        "Ces données ne servent à rien d'autre, ne sont transmises à personne et sont effacées "
        "trois mois après la séance. Je peux à tout moment annuler mon inscription avec le lien "
        "reçu, et exercer mes droits (accès, rectification, effacement) auprès du Département."
    ),
}
CURRENT_CONSENT_VERSION = max(CONSENT_TEXTS)


def consent_text(version: int = CURRENT_CONSENT_VERSION) -> str:
    return CONSENT_TEXTS[version]

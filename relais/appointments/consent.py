"""The consent text residents accept when booking an appointment, versioned.

An appointment stores the version it accepted (``Appointment.consent_version``). Never edit a
published text: add a new version and point ``CURRENT_APPOINTMENT_CONSENT_VERSION`` at it, as
for the workshop registrations (``relais.bookings.consent``).
"""

APPOINTMENT_CONSENT_TEXTS = {
    1: (
        "J'accepte que le Département des Pyrénées-Orientales utilise mon nom, mon prénom et "
        "les coordonnées que je donne (téléphone et/ou e-mail) pour gérer mon rendez-vous avec "
        "un conseiller numérique : confirmation, rappel, changement ou annulation. Ces données "
        "ne servent à rien d'autre, ne sont transmises à personne et sont effacées trois mois "
        "après le rendez-vous. Je peux à tout moment annuler mon rendez-vous avec le lien reçu, "
        "et exercer mes droits (accès, rectification, effacement) auprès du Département."
    ),
}
CURRENT_APPOINTMENT_CONSENT_VERSION = max(APPOINTMENT_CONSENT_TEXTS)


def appointment_consent_text(version: int = CURRENT_APPOINTMENT_CONSENT_VERSION) -> str:
    return APPOINTMENT_CONSENT_TEXTS[version]

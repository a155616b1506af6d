"""The information given to the beneficiary before signing (convention, art. 2), versioned.

A version is never edited once used: a new wording is a new key, and ``CURRENT_VERSION`` moves to
it. Each mandate stores the version it was signed with; its PDF prints that version's text.
"""

INFORMATION_TEXTS = {
    "2024-06": (
        "Vous confiez à l'équipe départementale d'accompagnement aux démarches numériques du "
        "Département des Pyrénées-Orientales le soin d'accomplir, en votre nom et pour votre "
        "compte, les démarches administratives désignées ci-dessus.",
        "Le Département est responsable du traitement de vos données. Elles servent uniquement "
        "à ces démarches, à votre seul bénéfice ; les conseillers sont tenus au secret "
        "professionnel. Aucune copie de votre pièce d'identité n'est conservée : seuls le type "
        "de document présenté, la personne qui l'a vérifié et la date sont enregistrés.",
        "Chaque action faite sous ce mandat est inscrite dans un journal (démarche, action, "
        "conseiller, date et heure). Le mandat et ses pièces sont détruits à l'aboutissement de "
        "la démarche, à votre retrait du mandat, ou au plus tard un mois après son expiration.",
        "Vous pouvez retirer ce mandat à tout moment, auprès de n'importe quel conseiller : le "
        "retrait est immédiat et un reçu vous est remis. Vous pouvez aussi demander l'accès à vos "
        "données, leur rectification, leur effacement ou vous opposer à leur traitement, auprès "
        "d'un conseiller ou du délégué à la protection des données du Département ; vous pouvez "
        "saisir la CNIL (www.cnil.fr).",
    ),
}
CURRENT_VERSION = "2024-06"
VERSION_CHOICES = [(version, f"Version {version}") for version in INFORMATION_TEXTS]


def information_text(version: str) -> tuple[str, ...]:
    return INFORMATION_TEXTS[version]

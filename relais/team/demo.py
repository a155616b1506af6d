"""Demo data, part 4: the team of 26 advisers (15 ambassadors, 11 CnFS), fictitious names.

The surnames are words of the trade, so nobody mistakes a demo adviser for a real person.
"""

import unicodedata
from datetime import date

from relais.accounts.demo import ensure_demo_user
from relais.accounts.enums import Role
from relais.core.demo import DemoContext

from .enums import AdvisorKind
from .models import Advisor

TEAM_START = date(2023, 6, 1)  # "le Département recrute, dès le début de juin 2023"
CNFS_END = date(2026, 5, 31)  # 3-year project contracts

AMBASSADORS = [
    ("Léa", "Pixel", "Prades"),
    ("Hugo", "Clavier", "Perpignan"),
    ("Inès", "Souris", "Céret"),
    ("Nathan", "Octet", "Font-Romeu-Odeillo-Via"),
    ("Chloé", "Modem", "Thuir"),
    ("Lucas", "Routeur", "Rivesaltes"),
    ("Manon", "Curseur", "Argelès-sur-Mer"),
    ("Théo", "Onglet", "Ille-sur-Têt"),
    ("Emma", "Favori", "Saint-Laurent-de-la-Salanque"),
    ("Louis", "Fichier", "Millas"),
    ("Jade", "Dossier", "Elne"),
    ("Raphaël", "Lien", "Le Boulou"),
    ("Camille", "Icône", "Amélie-les-Bains-Palalda"),
    ("Jules", "Écran", "Saillagouse"),
    ("Sarah", "Tablette", "Vinça"),
]

CNFS = [
    ("Noah", "Wifi", "Perpignan"),
    ("Zoé", "Serveur", "Canet-en-Roussillon"),
    ("Adam", "Logiciel", "Estagel"),
    ("Alice", "Navigateur", "Saint-Paul-de-Fenouillet"),
    ("Gabriel", "Câble", "Arles-sur-Tech"),
    ("Louise", "Courriel", "Prats-de-Mollo-la-Preste"),
    ("Arthur", "Cookie", "Bourg-Madame"),
    ("Lina", "Réseau", "Mont-Louis"),
    ("Tom", "Bluetooth", "Saint-Estève"),
    ("Mila", "Imprimante", "Cabestany"),
    ("Ethan", "Scanner", "Prades"),
]


def _local_part(first_name: str, last_name: str) -> str:

    raw = f"{first_name}.{last_name}".lower()
    return unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()


def load(ctx: DemoContext) -> None:
    roster = [(AdvisorKind.AMBASSADOR, *row) for row in AMBASSADORS] + [
        (AdvisorKind.CNFS, *row) for row in CNFS
    ]
    advisors = []
    for index, (kind, first_name, last_name, commune) in enumerate(roster):
        user = ensure_demo_user(
            ctx,
            local_part=_local_part(first_name, last_name),
            first_name=first_name,
            last_name=last_name,
            role=Role.ADVISOR,
            print_login=index == 0,  # one advisor login is printed, with a 2FA key
        )
        advisor = Advisor.objects.filter(user=user).first() or Advisor(user=user)
        advisor.kind = kind
        advisor.home_commune = ctx.commune(commune)
        advisor.contract_start = TEAM_START
        advisor.contract_end = CNFS_END if kind == AdvisorKind.CNFS else None
        advisor.full_clean()
        advisor.save()
        advisors.append(advisor)
    ctx.objects["advisors"] = advisors

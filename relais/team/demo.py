"""Demo data, part 4: the team of 26 advisers (15 ambassadors, 11 CnFS), fictitious names.

The surnames are words of the trade, so nobody mistakes a demo adviser for a real person.
"""

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from relais.accounts.demo import ensure_demo_user
from relais.accounts.enums import Role
from relais.core import dates
from relais.core.demo import DemoContext

from .enums import AdvisorKind, LeaveKind, SkillKind, TrainingStatus
from .models import Advisor, Leave, Skill

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


# Work profiles (illustrative). Ambassadors follow the certifying training of the preamble:
# the first cohort certified at the end of June 2024, a few still in training.
CERTIFIED_ON = date(2024, 6, 28)
CNFS_CERTIFIED_ON = date(2024, 3, 15)
IN_TRAINING = {"Routeur", "Curseur", "Onglet", "Écran"}
PART_TIME = {
    # last name: (weekly hours, working days 0 = Monday)
    "Tablette": (Decimal("28"), [0, 2, 3, 4]),
    "Icône": (Decimal("24.5"), [0, 1, 3]),
}
SKILLS = [
    ("Catalan", SkillKind.LANGUAGE),
    ("Espagnol", SkillKind.LANGUAGE),
    ("Anglais", SkillKind.LANGUAGE),
    ("Langue des signes française", SkillKind.LANGUAGE),
    ("Aidants Connect", SkillKind.HABILITATION),
]
ADVISOR_SKILLS = {
    "Pixel": ["Catalan", "Aidants Connect"],
    "Tablette": ["Espagnol", "Aidants Connect"],
    "Onglet": ["Anglais"],
    "Octet": ["Catalan", "Espagnol"],
    "Clavier": ["Langue des signes française", "Aidants Connect"],
    "Wifi": ["Aidants Connect"],
}
# Leave relative to today, so that the demo always shows it (the note identifies the row).
# Sarah Tablette holds permanences at Vinça and Ria-Sirach: they become unstaffed next week.
LEAVE = [
    # (last name, kind, first day offset from next Monday, last day offset, halves, note)
    ("Tablette", LeaveKind.PAID, 0, 4, ("am", "pm"), "Congés d'automne (démo)"),
    ("Clavier", LeaveKind.TRAINING, 14, 14, ("am", "pm"), "Formation Aidants Connect (démo)"),
    ("Modem", LeaveKind.OTHER, 9, 9, ("pm", "pm"), "Rendez-vous administratif (démo)"),
]


def _profile(advisor: Advisor) -> None:
    last_name = advisor.user.last_name
    if advisor.kind == AdvisorKind.CNFS:
        advisor.training_status, advisor.training_date = (
            TrainingStatus.CERTIFIED,
            CNFS_CERTIFIED_ON,
        )
    elif last_name in IN_TRAINING:
        advisor.training_status, advisor.training_date = TrainingStatus.IN_PROGRESS, None
    else:
        advisor.training_status, advisor.training_date = TrainingStatus.CERTIFIED, CERTIFIED_ON
    advisor.weekly_hours, advisor.working_days = PART_TIME.get(
        last_name, (Decimal("35"), [0, 1, 2, 3, 4])
    )


def _skills_and_leave(advisors: list[Advisor]) -> None:
    skills = {}
    for name, kind in SKILLS:
        skills[name], _ = Skill.objects.update_or_create(name=name, defaults={"kind": kind})
    by_name = {a.user.last_name: a for a in advisors}
    for last_name, names in ADVISOR_SKILLS.items():
        by_name[last_name].skills.set([skills[n] for n in names])
    today = timezone.localdate()
    next_monday = dates.next_monday(today)
    for last_name, kind, first, last, (start_half, end_half), note in LEAVE:
        leave = Leave.objects.filter(advisor=by_name[last_name], note=note).first() or Leave(
            advisor=by_name[last_name], note=note
        )
        leave.kind = kind
        leave.start_date = next_monday + timedelta(days=first)
        leave.end_date = next_monday + timedelta(days=last)
        leave.start_half, leave.end_half = start_half, end_half
        leave.full_clean()
        leave.save()


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
        _profile(advisor)
        advisor.full_clean()
        advisor.save()
        advisors.append(advisor)
    _skills_and_leave(advisors)
    ctx.objects["advisors"] = advisors

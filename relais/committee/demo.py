"""Demo data: the Comité Technique Départemental (Art. 3.4).

The seed names no committee members, so the demo invents them (names marked « (démo) »,
addresses on the demo domain) from the three colleges of Art. 3.4. Meetings are dated relative to
today: one held about ten months ago (so the 12-month alert is quiet) and one before it, with
minutes, decisions and « axes de progrès » (one done, one open, one overdue), and one convened in
a few weeks, whose convocation the demo coordinator can send.

Idempotent: members are matched on their address; the meetings the demo coordinator created are
replaced on each run (with their action items and convocations).
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from relais.accounts.models import User
from relais.core.demo import DEMO_EMAIL_DOMAIN, DemoContext

from . import services
from .enums import ActionStatus, MemberCategory
from .models import CommitteeMember, Meeting

# (local part, name, function, college, organisation key or other employer)
MEMBERS = [
    ("comite.inclusion", "Sophie Estève (démo)", "Directrice de l'action sociale et de l'inclusion",
     MemberCategory.DEPARTMENT, "department"),
    ("comite.numerique", "Jordi Puig (démo)", "Chef de projet inclusion numérique",
     MemberCategory.DEPARTMENT, "department"),
    ("comite.mediatheques", "Laure Bosch (démo)", "Responsable du réseau des médiathèques",
     MemberCategory.PARTNER, "partner"),
    ("comite", "Paul Bilan", "Élu référent du numérique", MemberCategory.PARTNER, "partner"),
    ("comite.ccas", "Nadia Ferrer (démo)", "Directrice",
     MemberCategory.OTHER_EMPLOYER, "CCAS de Perpignan (démo)"),
    ("comite.franceservices", "Thomas Sala (démo)", "Animateur France Services",
     MemberCategory.OTHER_EMPLOYER, "Maison France Services de Prades (démo)"),
]  # fmt: skip

HELD_AGENDA = """1. Bilan de l'année écoulée : activités, publics, couverture des permanences
2. Comptes rendus mensuels des structures (art. 3.4)
3. Axes de progrès pour l'année à venir"""

HELD_MINUTES = """Le Département présente le bilan : les permanences engagées ont été tenues dans \
les neuf lieux, avec une fréquentation plus forte à Prades et Vinça. Les démarches sociales et \
de santé restent le premier motif d'accompagnement ; les ateliers « sécurité numérique » sont \
complets. Le réseau des médiathèques signale des retards dans la transmission des comptes \
rendus en période estivale."""

HELD_DECISIONS = """Maintenir les durées hebdomadaires de l'article 1.2.
Ouvrir un créneau le samedi matin à Prades à titre expérimental.
Proposer l'atelier « Arnaques en ligne » dans chaque lieu."""

NEXT_AGENDA = """1. Bilan annuel du dispositif (bilan PDF joint par le Département)
2. Suivi des axes de progrès
3. Renouvellement de la convention (art. 6)"""


def _weekday(day: dt.date, weekday: int = 3) -> dt.date:
    """The first ``weekday`` (Thursday by default) on or after ``day``."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _members(ctx: DemoContext) -> dict[str, CommitteeMember]:
    members = {}
    for local_part, name, function, category, organisation in MEMBERS:
        is_structure = organisation in ("department", "partner")
        values = {
            "full_name": name,
            "function": function,
            "category": category,
            "organisation": ctx.objects[organisation] if is_structure else None,
            "other_organisation": "" if is_structure else organisation,
            "joined_on": dt.date(2024, 2, 15),  # the deliberation's date
        }
        email = f"{local_part}@{DEMO_EMAIL_DOMAIN}"
        member = CommitteeMember.objects.filter(email=email).first() or CommitteeMember(email=email)
        for field, value in values.items():
            setattr(member, field, value)
        member.full_clean()
        member.save()
        members[local_part] = member
    return members


def _meetings(ctx: DemoContext, coordinator: User, members: dict) -> None:
    Meeting.objects.filter(created_by=coordinator).delete()
    today = timezone.localdate()
    department, partner = ctx.objects["department"], ctx.objects["partner"]
    everyone = list(members.values())
    earlier = services.meeting_create(
        user=coordinator,
        data={"date": _weekday(today - relativedelta(months=22)), "start_time": dt.time(14),
              "end_time": dt.time(16, 30), "location": "Hôtel du Département, Perpignan",
              "agenda": "1. Installation du comité\n2. Calendrier des permanences",
              "attendees": everyone[:4], "minutes": "Le comité est installé.",
              "decisions": "Réunion annuelle au premier trimestre."},
    )  # fmt: skip
    services.action_item_create(
        user=coordinator,
        meeting=earlier,
        data={"title": "Afficher la mention de l'article 5 dans chaque lieu",
              "owner_label": "Médiathèques Conflent Canigó", "partner": partner,
              "due_on": earlier.date + relativedelta(months=2), "status": ActionStatus.DONE},
    )  # fmt: skip
    held = services.meeting_create(
        user=coordinator,
        data={"date": _weekday(today - relativedelta(months=10)), "start_time": dt.time(14),
              "end_time": dt.time(16, 30), "location": "Château Pams, Prades",
              "agenda": HELD_AGENDA, "attendees": everyone[:-1], "minutes": HELD_MINUTES,
              "decisions": HELD_DECISIONS},
    )  # fmt: skip
    for title, owner, due_in_months, status in [
        ("Ouvrir un créneau le samedi matin à la médiathèque de Prades",
         members["comite.mediatheques"], -6, ActionStatus.DONE),
        ("Atelier « Arnaques en ligne » dans chaque lieu du réseau",
         members["comite.numerique"], 3, ActionStatus.OPEN),
        ("Transmettre les comptes rendus mensuels avant le 10 du mois suivant",
         members["comite.mediatheques"], -1, ActionStatus.OPEN),
    ]:  # fmt: skip
        services.action_item_create(
            user=coordinator,
            meeting=held,
            data={"title": title, "owner_member": owner,
                  "partner": partner if owner.organisation_id == partner.pk else None,
                  "due_on": today + relativedelta(months=due_in_months), "status": status},
        )  # fmt: skip
    services.meeting_create(
        user=coordinator,
        data={"date": _weekday(today + dt.timedelta(days=24)), "start_time": dt.time(9, 30),
              "end_time": dt.time(12), "location": department.postal_address,
              "agenda": NEXT_AGENDA},
    )  # fmt: skip


def load(ctx: DemoContext) -> None:
    coordinator = User.objects.get(email=f"coordination@{DEMO_EMAIL_DOMAIN}")
    members = _members(ctx)
    _meetings(ctx, coordinator, members)

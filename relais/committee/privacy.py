"""This app's lines in the retention table (read by relais.privacy; see its registry.py)."""

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from relais.privacy.enums import RetentionAction
from relais.privacy.registry import (
    PUBLIC_INTEREST,
    RetentionRule,
    declare_no_personal_data,
    register,
)

from .models import CommitteeMember, MeetingInvitation

ANONYMOUS_MEMBER = "Membre anonymisé"
MEMBER_TERM_YEARS = 5
INVITATION_TERM_MONTHS = 24


def members_due(cutoff):
    return CommitteeMember.objects.filter(left_on__lt=timezone.localdate(cutoff)).exclude(
        Q(full_name__startswith=ANONYMOUS_MEMBER) & Q(email="")
    )


def invitations_due(cutoff):
    return MeetingInvitation.objects.filter(created_at__lt=cutoff)


register(
    RetentionRule(
        category="committee_members",
        model="committee.CommitteeMember",
        fields=("full_name", "email"),
        label="Membres du comité technique",
        processing="Pilotage du dispositif (comité technique départemental, art. 3.4)",
        data_subjects="Représentants du Département, des structures partenaires et des autres "
        "employeurs de conseillers numériques",
        purpose="Composer le comité, convoquer ses membres, tracer les présents et les porteurs "
        "des axes de progrès dans les comptes rendus.",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(years=MEMBER_TERM_YEARS),
        term_label=f"{MEMBER_TERM_YEARS} ans",
        start_event="Fin du mandat au comité",
        due=members_due,
        action=RetentionAction.ANONYMISE,
        replacements={"full_name": lambda m: f"{ANONYMOUS_MEMBER} n° {m.pk}", "email": ""},
        kept={
            "function": "fonction exercée (qualité officielle), lisible dans les comptes rendus",
            "other_organisation": "structure représentée (personne morale)",
        },
        recipients="Coordinateurs, membres du comité ; administrateurs",
        statistics="Les réunions, présences et actions restent, rattachées au membre anonymisé.",
    )
)

register(
    RetentionRule(
        category="meeting_invitations",
        model="committee.MeetingInvitation",
        fields=("recipient",),
        label="Convocations aux réunions du comité",
        processing="Pilotage du dispositif (comité technique départemental, art. 3.4)",
        data_subjects="Membres du comité technique",
        purpose="Convoquer chaque membre une fois par version de la réunion et savoir qui a "
        "reçu quoi, quand.",
        legal_basis=PUBLIC_INTEREST,
        term=relativedelta(months=INVITATION_TERM_MONTHS),
        term_label=f"{INVITATION_TERM_MONTHS} mois",
        start_event="Envoi de la convocation",
        due=invitations_due,
        action=RetentionAction.DELETE,
        recipients="Coordinateurs",
    )
)
declare_no_personal_data(
    "committee.ActionItem",
    reason="Axe de progrès du comité ; le porteur est un membre (fiche anonymisable) ou une "
    "structure ou fonction en texte libre, sans nom de personne.",
)
declare_no_personal_data(
    "committee.Meeting",
    reason="Réunion du comité (ordre du jour, compte rendu, décisions) ; les présents sont "
    "des fiches de membres, anonymisées à leur terme.",
)

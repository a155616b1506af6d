"""Demo data: the seed's deliberation and convention, imported from the document itself.

The text of deliberation 37-24 and its annexed convention ships with the package and goes
through the same import as a coordinator's upload. The seed leaves the signature dates blank;
the demo records illustrative ones (March 2024), so the convention is in force from its last
signature and, today, ended on its hard end date (22 June 2026). Its successor (2026–2029) is
then started as the software does it, and signed in June 2026 (illustrative too), so the
programme has an agreement in force for the planning and the public schedule.

The agreement in force also gets what its clauses name: the Département's dedicated technical
team and the partner's contacts (Art. 3.3, 3.4), the editorial responsibility of both parties
(Art. 4.1, held by the representatives the convention names), and Art. 5 requests: the
partner's poster of the permanences authorised with the mention and logo, an article on the
partner's site awaiting the Département's answer, and the Département's press release awaiting
the partner's. Functional mailboxes are illustrative (``exemple.fr``).
"""

from datetime import date, timedelta
from importlib import resources

from django.utils import timezone

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.core.demo import DemoContext

from . import services
from .enums import CommunicationDecision, ContactRole, PartyRole
from .importing import agreement_import, analyse_text
from .models import Agreement, AgreementContact, Annex

SEED_FILE = "data/seed-conflent-canigo-2024.txt"
SEED_FILENAME = "deliberation-37-24-et-convention.txt"
SEED_SENT_ON = date(2024, 3, 1)
# Partner first, the mayors in between, the Département's president last.
SEED_SIGNATURES = [
    date(2024, 3, 4),
    date(2024, 3, 5),
    date(2024, 3, 6),
    date(2024, 3, 7),
    date(2024, 3, 8),
    date(2024, 3, 11),
    date(2024, 3, 12),
    date(2024, 3, 13),
    date(2024, 3, 14),
    date(2024, 3, 20),
]
SUCCESSOR_TITLE_SUFFIX = ("2023 – 2026 (Vague 2)", "2026 – 2029 (Vague 3)")
SUCCESSOR_SENT_ON = date(2026, 6, 1)
SUCCESSOR_SIGNED_ON = date(2026, 6, 23)
SUCCESSOR_HARD_END = date(2029, 6, 30)


def _sign_all(agreement: Agreement, sent_on: date, dates: list[date]) -> None:
    if agreement.sent_for_signature_on is None:
        services.agreement_send_for_signature(agreement=agreement, on=sent_on)
    signatories = list(agreement.signatories.all())
    # The Département's president signs last: she is listed first in the document.
    order = signatories[1:] + signatories[:1]
    for signatory, day in zip(order, dates, strict=False):
        if signatory.signed_on is None:
            services.signature_record(signatory=signatory, signed_on=day)


def load(ctx: DemoContext) -> None:
    text = resources.files("relais.agreements").joinpath(SEED_FILE).read_text("utf-8")
    result = analyse_text(text, department_code=ctx.department_code)
    seed = agreement_import(
        result=result,
        department=ctx.objects["department"],
        partner=ctx.objects["partner"],
        source=(SEED_FILENAME, text.encode("utf-8")),
    )
    _sign_all(seed, SEED_SENT_ON, SEED_SIGNATURES)
    _annex_programme(seed)
    ctx.objects["seed_agreement"] = seed

    successor = Agreement.objects.filter(predecessor=seed).first()
    if successor is None:
        old, new = SUCCESSOR_TITLE_SUFFIX
        successor = services.agreement_start_successor(
            agreement=seed, title=seed.title.replace(old, new)
        )
        services.agreement_update_draft(agreement=successor, hard_end_date=SUCCESSOR_HARD_END)
    _sign_all(successor, SUCCESSOR_SENT_ON, [SUCCESSOR_SIGNED_ON] * successor.signatories.count())
    _annex_programme(successor)
    ctx.objects["agreement"] = successor
    _contacts(successor)
    _communication(successor)


def _annex_programme(agreement: Agreement) -> None:
    """Art. 1.2 refers to the programme of workshops as the convention's annex 2."""
    Annex.objects.get_or_create(
        agreement=agreement,
        number=2,
        defaults={
            "title": "Programmation des ateliers",
            "description": "Ateliers du catalogue départemental proposés dans les lieux "
            "de la convention (voir le catalogue des ateliers).",
        },
    )


# (party, role, name, function, e-mail): the seed's wording for the roles and the representatives
# it names; the team and the partner's contact are services, reached at functional mailboxes.
CONTACTS = [
    (
        PartyRole.DEPARTMENT,
        ContactRole.TECHNICAL_TEAM,
        "Équipe technique départementale",
        "En charge du dispositif Conseiller et Ambassadeur du Numérique",
        "inclusion-numerique@departement66.exemple.fr",
    ),
    (
        PartyRole.DEPARTMENT,
        ContactRole.FOLLOW_UP,
        "Équipe technique départementale",
        "Reçoit les éléments de suivi (art. 3.4)",
        "inclusion-numerique@departement66.exemple.fr",
    ),
    (
        PartyRole.DEPARTMENT,
        ContactRole.EDITORIAL,
        "Hermeline MALHERBE",
        "Présidente du Département",
        "",
    ),
    (
        PartyRole.PARTNER,
        ContactRole.REGULAR_CONTACT,
        "Direction du Réseau intercommunal des médiathèques",
        "Interlocuteur des conseillers dans les médiathèques",
        "mediatheques@conflent-canigo.exemple.fr",
    ),
    (
        PartyRole.PARTNER,
        ContactRole.EDITORIAL,
        "Jean-Louis JALLAT",
        "Président de la Communauté de Communes Conflent Canigó",
        "",
    ),
]


def _contacts(agreement: Agreement) -> None:
    for party, role, name, function, email in CONTACTS:
        if not AgreementContact.objects.filter(
            agreement=agreement, party=party, role=role, full_name=name
        ).exists():
            services.contact_save(
                agreement=agreement,
                party=party,
                role=role,
                full_name=name,
                function=function,
                email=email,
            )


def _communication(agreement: Agreement) -> None:
    """Art. 5 requests, dated from the day the demo is loaded (the authorisation is prior)."""
    # Requests exist only while the agreement binds the parties (the demo may be loaded at
    # any date: CI loads it at awkward instants).
    if agreement.communication_requests.exists() or not agreement.timeline().is_in_force:
        return
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    partner_staff = (
        User.objects.filter(role=Role.PARTNER_STAFF, organisation=agreement.partner)
        .order_by("pk")
        .first()
    )
    if coordinator is None or partner_staff is None:
        return
    today = timezone.localdate()
    poster = services.communication_request_submit(
        agreement=agreement,
        user=partner_staff,
        requested_by=PartyRole.PARTNER,
        subject="Affiche des permanences numériques dans les médiathèques du réseau",
        medium="poster",
        channel="Médiathèques de Prades, Vinça et Marquixanes ; mairies des communes d'accueil",
        planned_on=today + timedelta(days=14),
        description="Affiche A3 : lieux, jours et heures des permanences des conseillers et "
        "ambassadeurs du numérique.",
        shows_mention=True,
        shows_logo=True,
        requester_validated_by="Jean-Louis JALLAT, Président",
    )
    services.communication_request_decide(
        request=poster,
        user=coordinator,
        decision=CommunicationDecision.APPROVED,
        decided_by="Équipe technique départementale",
    )
    services.communication_request_submit(
        agreement=agreement,
        user=partner_staff,
        requested_by=PartyRole.PARTNER,
        subject="Article « Des permanences numériques près de chez vous »",
        medium="website",
        channel="Site internet de la Communauté de Communes Conflent Canigó",
        planned_on=today + timedelta(days=21),
        description="Présentation du dispositif et des lieux d'accueil.",
        shows_mention=True,
        shows_logo=False,
    )
    services.communication_request_submit(
        agreement=agreement,
        user=coordinator,
        requested_by=PartyRole.DEPARTMENT,
        subject="Communiqué de presse : les permanences du Conflent",
        medium="press",
        channel="Presse quotidienne régionale",
        planned_on=today + timedelta(days=30),
        requester_validated_by="Hermeline MALHERBE, Présidente",
    )

"""Demo data: the seed's deliberation and convention, imported from the document itself.

The text of deliberation 37-24 and its annexed convention ships with the package and goes
through the same import as a coordinator's upload. The seed leaves the signature dates blank;
the demo records illustrative ones (March 2024), so the convention is in force from its last
signature and, today, ended on its hard end date (22 June 2026). Its successor (2026–2029) is
then started as the software does it, and signed in June 2026 (illustrative too), so the
programme has an agreement in force for the planning and the public schedule.
"""

from datetime import date
from importlib import resources

from relais.core.demo import DemoContext

from . import services
from .importing import agreement_import, analyse_text
from .models import Agreement, Annex

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

"""Demo data: a few rights requests (open, closed, without a record) for the demo beneficiaries.

Idempotent: the requests of the demo carry ``DEMO_OUTCOME`` and are replaced on every run. No
journal entries are written: the demo shows data, not the history of a real use.
"""

from datetime import timedelta

from django.utils import timezone

from relais.core.demo import DemoContext
from relais.privacy.models import RightsRequest

from .services import due_date

DEMO_OUTCOME = "(démonstration)"


def load(ctx: DemoContext) -> None:
    beneficiaries = [b for b in ctx.objects.get("beneficiaries", []) if not b.is_anonymous]
    advisors = ctx.objects.get("advisors", [])
    if len(beneficiaries) < 5 or not advisors:
        return
    RightsRequest.objects.filter(outcome__endswith=DEMO_OUTCOME).delete()
    today = timezone.localdate()
    requests = [
        (beneficiaries[3], "access", today - timedelta(days=3), None),
        (beneficiaries[4], "rectification", today - timedelta(days=40), "Adresse e-mail corrigée."),
        (None, "erasure", today - timedelta(days=26), None),
    ]
    for beneficiary, kind, received_on, closed in requests:
        RightsRequest.objects.create(
            beneficiary=beneficiary,
            requester_label="" if beneficiary else f"Courrier sans fiche {DEMO_OUTCOME}",
            kind=kind,
            channel="in_person" if beneficiary else "mail",
            received_on=received_on,
            due_on=due_date(received_on),
            status="done" if closed else "open",
            closed_on=received_on + timedelta(days=10) if closed else None,
            outcome=f"{closed} {DEMO_OUTCOME}" if closed else DEMO_OUTCOME,
            handled_by=advisors[0].user,
        )

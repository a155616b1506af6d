"""Demo data: a few mandates in every state (active, expired, completed, revoked), for the demo
beneficiaries.

Idempotent: the beneficiaries' loader recreates its people on every run, which deletes their
mandates (cascade); this loader then recreates the same mandates. No journal entries are
written: the demo shows data, not the history of a real use.
"""

from datetime import timedelta

from django.utils import timezone

from relais.core.demo import DemoContext

from .enums import Binding, Duration, IdentityDocument, Mode, ProcedureFamily
from .models import Mandate, MandateAction
from .texts import CURRENT_VERSION

# (days since signature, duration, state, families, named procedures, data requests, mode)
MANDATES = [
    (
        2,
        Duration.ONE_MONTH,
        "active",
        [ProcedureFamily.SOCIAL],
        ["Demande de RSA"],
        False,
        Mode.IN_PERSON,
    ),
    (
        20,
        Duration.SIX_MONTHS,
        "active",
        [ProcedureFamily.MONEY, ProcedureFamily.HOUSING],
        [],
        True,
        Mode.REMOTE,
    ),
    (
        5,
        Duration.PROCEDURE_END,
        "active",
        [ProcedureFamily.PAPERS],
        ["Renouvellement de la carte d'identité"],
        False,
        Mode.IN_PERSON,
    ),
    (10, Duration.ONE_DAY, "expired", [ProcedureFamily.TRANSPORT], [], False, Mode.IN_PERSON),
    (
        50,
        Duration.ONE_MONTH,
        "expired",
        [ProcedureFamily.WORK],
        ["Inscription à France Travail"],
        False,
        Mode.REMOTE,
    ),
    (
        30,
        Duration.SIX_MONTHS,
        "completed",
        [ProcedureFamily.FAMILY],
        ["Dossier de bourse scolaire"],
        False,
        Mode.IN_PERSON,
    ),
    (15, Duration.TWELVE_MONTHS, "revoked", [ProcedureFamily.FOREIGNERS], [], True, Mode.REMOTE),
]
DOCUMENTS = list(IdentityDocument)


def load(ctx: DemoContext) -> None:
    beneficiaries = [b for b in ctx.objects.get("beneficiaries", []) if not b.is_anonymous]
    advisors = ctx.objects.get("advisors", [])
    if not beneficiaries or not advisors:
        return
    now = timezone.now().replace(second=0, microsecond=0)
    for index, (days, duration, state, families, procedures, data, mode) in enumerate(MANDATES):
        beneficiary = beneficiaries[index * 7 % len(beneficiaries)]
        advisor = advisors[index % len(advisors)]
        signed_at = now - timedelta(days=days)
        mandate = Mandate(
            beneficiary=beneficiary,
            advisor=advisor,
            binds=Binding.ADVISOR if index == 1 else Binding.TEAM,
            mode=mode,
            identity_document_type=DOCUMENTS[index % len(DOCUMENTS)],
            identity_verified_by=advisor.user,
            identity_verified_at=signed_at - timedelta(minutes=5),
            information_text_version=CURRENT_VERSION,
            scope_families=[str(f) for f in families],
            named_procedures=procedures,
            covers_data_requests=data,
            duration=duration,
            signed_at=signed_at,
            created_by=advisor.user,
        )
        mandate.expires_at = mandate.compute_expiry()
        if state == "completed":
            mandate.completed_at = signed_at + timedelta(days=days // 2)
        elif state == "revoked":
            mandate.revoked_at = signed_at + timedelta(days=days // 3)
            mandate.revocation_reason = "À la demande de la personne"
        mandate.full_clean(exclude=["integrity_hash"])
        mandate.save()
        mandate.integrity_hash = mandate.compute_hash()
        mandate.save(update_fields=["integrity_hash"])
        if families:
            MandateAction.objects.create(
                mandate=mandate,
                family=str(families[0]),
                procedure=mandate.get_family_label(str(families[0])),
                kind="form",
                advisor=advisor,
                at=signed_at + timedelta(minutes=20),
            )
        if state != "active":
            assert mandate.status == state, (index, mandate.status)

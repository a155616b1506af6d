"""Mandates for tests, signed through the service (journal, hash) like in real use."""

from relais.mandates.services import mandate_create

from ..beneficiaries.factories import BeneficiaryFactory
from ..factories import AdvisorFactory

DEFAULTS = {
    "mode": "in_person",
    "binds": "team",
    "identity_document_type": "id_card",
    "scope_families": ["social_health"],
    "named_procedures": ["Demande de RSA"],
    "covers_data_requests": False,
    "duration": "1m",
}


def make_mandate(*, beneficiary=None, advisor=None, now=None, **data):
    advisor = advisor or AdvisorFactory()
    return mandate_create(
        beneficiary=beneficiary or BeneficiaryFactory(),
        advisor=advisor,
        user=advisor.user,
        data={**DEFAULTS, **data},
        now=now,
    )


def build_mandate(*, beneficiary=None, advisor=None, now=None, **data):
    """The same mandate written straight to the database: no journal entry (canary rows)."""
    from django.utils import timezone

    from relais.mandates.models import Mandate

    advisor = advisor or AdvisorFactory()
    now = now or timezone.now()
    fields = {**DEFAULTS, **data}
    mandate = Mandate(
        beneficiary=beneficiary or BeneficiaryFactory(),
        advisor=advisor,
        identity_verified_by=advisor.user,
        identity_verified_at=now,
        information_text_version="2024-06",
        signed_at=now,
        **{k: v for k, v in fields.items() if k not in {"revoked_at", "completed_at"}},
    )
    mandate.revoked_at = fields.get("revoked_at")
    mandate.completed_at = fields.get("completed_at")
    mandate.expires_at = mandate.compute_expiry()
    mandate.save()
    mandate.integrity_hash = mandate.compute_hash()
    mandate.save(update_fields=["integrity_hash"])
    return mandate

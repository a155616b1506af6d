"""Factories of the mandates, and mandates signed through the service (journal, hash) like in
real use."""

import hashlib

import factory
from django.utils import timezone

from relais.mandates.enums import ActionKind, Binding, Duration, IdentityDocument, Mode
from relais.mandates.models import Mandate, MandateAction, MandateScan
from relais.mandates.services import mandate_create
from relais.mandates.texts import CURRENT_VERSION

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


class MandateFactory(factory.django.DjangoModelFactory):
    """A mandate for a month, signed now, written straight to the database: no journal entry
    (``make_mandate`` signs through the service). Its integrity hash is sealed once it has an id.
    """

    class Meta:
        model = Mandate
        skip_postgeneration_save = True

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    advisor = factory.SubFactory(AdvisorFactory)
    binds = Binding.TEAM
    mode = Mode.IN_PERSON
    identity_document_type = IdentityDocument.ID_CARD
    identity_verified_by = factory.SelfAttribute("advisor.user")
    identity_verified_at = factory.LazyFunction(timezone.now)
    information_text_version = CURRENT_VERSION
    scope_families = factory.LazyFunction(lambda: ["social_health"])
    named_procedures = factory.LazyFunction(lambda: ["Demande de RSA"])
    duration = Duration.ONE_MONTH
    signed_at = factory.SelfAttribute("identity_verified_at")
    expires_at = factory.LazyAttribute(lambda mandate: Mandate.compute_expiry(mandate))
    integrity_hash = "0" * 64  # the content hashed includes the id: sealed after the insert

    @factory.post_generation
    def seal(self, create, extracted, **kwargs):
        if create:
            self.integrity_hash = self.compute_hash()
            self.save(update_fields=["integrity_hash"])


class MandateActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandateAction

    mandate = factory.SubFactory(MandateFactory)
    family = "social_health"
    procedure = "Demande de RSA"
    kind = ActionKind.FORM
    advisor = factory.SelfAttribute("mandate.advisor")


SCAN = b"%PDF-1.4\n% mandat signe\n"


class MandateScanFactory(factory.django.DjangoModelFactory):
    """A version of the signed scan (not made the mandate's current one)."""

    class Meta:
        model = MandateScan

    mandate = factory.SubFactory(MandateFactory)
    version = factory.Sequence(lambda n: n + 1)
    file = factory.django.FileField(filename="mandat.pdf", data=SCAN)
    content_type = "application/pdf"
    sha256 = hashlib.sha256(SCAN).hexdigest()
    uploaded_by = factory.SelfAttribute("mandate.advisor.user")


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
    related = {"beneficiary": beneficiary, "advisor": advisor}
    return MandateFactory(
        identity_verified_at=now or timezone.now(),
        **{name: value for name, value in related.items() if value is not None},
        **{**DEFAULTS, **data},
    )

"""Writes to mandates: sign, act under, complete, revoke, attach the scan, destroy.

Every write leaves an entry in the journal (``relais.privacy.journal``): action
``mandate_action`` with the event, the procedure and the kind of action, the adviser as actor
and the time; never a name nor free text (the journal outlives the mandate).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from relais.core import french
from relais.core.uploads import document_check
from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_append
from relais.privacy.queries import is_objecting

from . import perms
from .enums import Status
from .models import Mandate, MandateAction, MandateScan
from .scans import scan_delete, scan_store
from .texts import CURRENT_VERSION

DATA_REQUEST_PROCEDURE = "Demande de communication de données personnelles"
MANDATE_FIELDS = (
    "binds",
    "mode",
    "identity_document_type",
    "scope_families",
    "named_procedures",
    "covers_data_requests",
    "duration",
)


def _journal(user, mandate: Mandate, event: str, **details) -> None:
    journal_append(
        actor=user,
        action=JournalAction.MANDATE_ACTION,
        subject=mandate,
        details={"event": event, "beneficiary": mandate.beneficiary_id, **details},
    )


def _require_active(mandate: Mandate) -> None:
    if mandate.status != Status.ACTIVE:
        raise ValidationError(f"Ce mandat n'est plus actif ({mandate.status.label.lower()}).")


def mandate_create(
    *, beneficiary, advisor, user, data: dict, now=None, renews: Mandate | None = None
) -> Mandate:
    """Record a mandate signed on site now: identity checked by ``user``, text version current.

    ``advisor`` signs as mandataire; ``user`` is the account entering it (usually the same
    person). Refused for a beneficiary who objected to the processing of their data.
    ``renews`` is the mandate this one renews (same person): a renewal is signed again, like
    any mandate, and the earlier one keeps its own term.
    """
    if is_objecting(beneficiary):
        raise ValidationError(
            "Cette personne s'est opposée au traitement de ses données : aucun nouveau mandat."
        )
    now = now or timezone.now()
    unknown = set(data) - set(MANDATE_FIELDS)
    if unknown:
        raise ValueError(f"Unknown mandate fields: {sorted(unknown)}")
    if renews is not None and renews.beneficiary_id != beneficiary.pk:
        raise ValidationError("Un mandat ne renouvelle qu'un mandat de la même personne.")
    if renews is not None and renews.revoked_at:
        raise ValidationError("Un mandat retiré ne se renouvelle pas : la personne l'a retiré.")
    mandate = Mandate(
        beneficiary=beneficiary,
        advisor=advisor,
        renews=renews,
        identity_verified_by=user,
        identity_verified_at=now,
        information_text_version=CURRENT_VERSION,
        signed_at=now,
        created_by=user,
        **data,
    )
    mandate.expires_at = mandate.compute_expiry()
    mandate.full_clean(exclude=["integrity_hash"])
    with transaction.atomic():
        mandate.save()
        mandate.integrity_hash = mandate.compute_hash()  # covers the id: after the insert
        mandate.save(update_fields=["integrity_hash"])
        _journal(
            user,
            mandate,
            "signed",
            mode=mandate.mode,
            binds=mandate.binds,
            families=list(mandate.scope_families),
            procedures=len(mandate.named_procedures),
            data_requests=mandate.covers_data_requests,
            duration=mandate.duration,
            text_version=mandate.information_text_version,
            renews=renews.pk if renews else None,
        )
    return mandate


def mandate_renewal_data(mandate: Mandate) -> dict:
    """The scope of ``mandate`` as the initial data of its renewal's form."""
    return {
        "mode": mandate.mode,
        "binds": mandate.binds,
        "scope_families": mandate.active_families,
        "named_procedures": "\n".join(mandate.named_procedures),
        "covers_data_requests": mandate.covers_data_requests,
        "duration": mandate.duration,
    }


def scan_warning(mandate: Mandate, now=None) -> str:
    """The warning shown while the signed copy is missing ("" once it is uploaded)."""
    if not mandate.scan_missing:
        return ""
    deadline = timezone.localtime(mandate.scan_deadline)
    if (now or timezone.now()) >= mandate.scan_deadline:
        return (
            "Le mandat signé n'est pas déposé : aucune action ne peut plus être inscrite avant "
            "son dépôt."
        )
    return (
        f"Le mandat signé n'est pas encore déposé : déposez-le avant le "
        f"{french.short_datetime(deadline)}, sans quoi plus aucune action ne pourra être inscrite."
    )


def mandate_record_action(
    *, mandate: Mandate, user, kind: str, family: str = "", procedure: str = "", now=None
) -> MandateAction:
    if not perms.can_act_under(user, mandate):
        raise PermissionDenied("Ce mandat a été donné au seul conseiller signataire.")
    _require_active(mandate)
    # Without the signed copy nothing proves the scope: a grace period to upload it, then no.
    if mandate.scan_missing and (now or timezone.now()) >= mandate.scan_deadline:
        raise ValidationError(
            "Le mandat signé n'a pas été déposé dans les "
            f"{settings.RELAIS_MANDATE_SCAN_GRACE_DAYS} jours qui suivent la signature : "
            "déposez-le avant d'inscrire une action."
        )
    if family and family in mandate.revoked_families:
        raise ValidationError({"family": "La personne a retiré cette famille de démarches."})
    if family and family not in mandate.scope_families:
        raise ValidationError({"family": "Cette famille de démarches n'est pas couverte."})
    data_request = procedure == DATA_REQUEST_PROCEDURE and not family
    if data_request and not mandate.covers_data_requests:
        raise ValidationError(
            {"kind": "Ce mandat ne couvre pas les demandes de communication de données."}
        )
    if procedure and not family and not data_request and procedure not in mandate.named_procedures:
        raise ValidationError({"procedure": "Cette démarche n'est pas désignée par le mandat."})
    if kind == "data_request" and not mandate.covers_data_requests:
        raise ValidationError(
            {"kind": "Ce mandat ne couvre pas les demandes de communication de données."}
        )
    action = MandateAction(
        mandate=mandate,
        family=family,
        procedure=procedure or (mandate.get_family_label(family) if family else ""),
        kind=kind,
        advisor=user.advisor,
        at=now or timezone.now(),
    )
    action.full_clean()
    with transaction.atomic():
        action.save()
        named = procedure in mandate.named_procedures
        _journal(
            user,
            mandate,
            "action",
            action=action.pk,
            kind=kind,
            family=family,
            # A named procedure is free text: its rank in the mandate, not its wording.
            procedure=(mandate.named_procedures.index(procedure) + 1) if named else 0,
        )
    return action


def mandate_complete(*, mandate: Mandate, user, now=None) -> Mandate:
    _require_active(mandate)
    mandate.completed_at = now or timezone.now()
    with transaction.atomic():
        mandate.save(update_fields=["completed_at", "updated_at"])
        _journal(user, mandate, "completed")
    return mandate


def mandate_revoke(*, mandate: Mandate, user, reason: str = "", now=None) -> Mandate:
    """The beneficiary withdraws the mandate: effective at once, whatever its status."""
    if mandate.revoked_at:
        return mandate
    if mandate.completed_at:
        raise ValidationError("La démarche est déjà aboutie : le mandat a pris fin.")
    mandate.revoked_at = now or timezone.now()
    mandate.revocation_reason = reason.strip()[:200]
    mandate.revoked_by = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        mandate.save(update_fields=["revoked_at", "revocation_reason", "revoked_by", "updated_at"])
        _journal(user, mandate, "revoked")
    return mandate


def mandate_revoke_family(*, mandate: Mandate, user, family: str, now=None) -> Mandate:
    """The person withdraws one family of procedures and keeps the rest of the mandate.

    Withdrawing the last thing the mandate still covers withdraws the mandate itself.
    """
    _require_active(mandate)
    if family not in mandate.scope_families:
        raise ValidationError({"family": "Cette famille de démarches n'est pas couverte."})
    if family in mandate.revoked_families:
        return mandate
    now = now or timezone.now()
    remaining = [code for code in mandate.active_families if code != family]
    if not remaining and not mandate.named_procedures and not mandate.covers_data_requests:
        return mandate_revoke(
            mandate=mandate,
            user=user,
            reason=f"Retrait de la dernière famille couverte ({mandate.get_family_label(family)})",
            now=now,
        )
    mandate.revoked_families = {**mandate.revoked_families, family: now.isoformat()}
    with transaction.atomic():
        mandate.save(update_fields=["revoked_families", "updated_at"])
        _journal(user, mandate, "family_revoked", family=family)
    return mandate


def mandate_attach_scan(*, mandate: Mandate, user, uploaded) -> MandateScan:
    """Add a version of the signed scan and make it the current one.

    The right to upload is the right to act under the mandate (``perms.can_upload_scan``): a
    mandate bound to its signatory takes a scan from that adviser only. Earlier versions are
    kept, with their file: replacing a scan never deletes one.
    """
    if not perms.can_upload_scan(user, mandate):
        raise PermissionDenied(
            "Ce mandat a été donné au seul conseiller signataire : lui seul peut en déposer le "
            "mandat signé."
        )
    checked = document_check(uploaded)
    name = scan_store(checked)
    try:
        with transaction.atomic():
            # The mandate's row is the lock: two uploads at once get versions n and n + 1.
            locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
            previous = locked.current_scan
            last = locked.scans.aggregate(last=Max("version"))["last"] or 0
            scan = MandateScan(
                mandate=locked,
                version=last + 1,
                file=name,
                content_type=checked.content_type,
                sha256=checked.sha256,
                uploaded_by=user,
                uploaded_at=timezone.now(),
            )
            scan.full_clean()
            scan.save()
            locked.current_scan = scan
            locked.save(update_fields=["current_scan", "updated_at"])
            _journal(
                user,
                locked,
                "scan_uploaded",
                file_sha256=checked.sha256,
                version=scan.version,
                replaces=previous.version if previous else None,
            )
    except Exception:
        scan_delete(name)
        raise
    mandate.current_scan = scan
    mandate.updated_at = locked.updated_at
    return scan


def mandate_destroy(mandate: Mandate) -> None:
    """Delete a mandate, its actions and every version of its scan (purge, erasure)."""
    mandate.delete()  # actions and scans cascade; the post_delete signal removes the files

"""The access matrix: every named URL, every role, the expected answer — nothing forgotten.

Every URL pattern of the project is discovered (``tests.test_meta._iter_patterns``) and opened
with GET by each role. ``EXPECTED`` gives, per URL name, the answer class for each role in the
order of ``ROLES``. A URL name missing from the table fails the test (the failure prints the
row observed, to review and paste), and so does a row whose URL no longer exists: a new page
cannot ship without someone deciding who may open it.

Roles: anonymous, coordinator, advisor (the author of the objects below), ``other_advisor``,
partner staff, committee member, administrator. All advisers belong to the one departmental
team, so « an adviser of another team » is an adviser with no relation to the objects: not the
author of the activity, not the signatory of the mandate (which is bound to its signatory). For
pages shared by the whole team (names under professional secrecy, art. 2) both advisers get the
same answer; author-only pages (editing an activity) differ. Partner staff are the staff of the
partner owning the place below.

Answer classes: ``ok`` (2xx), ``moved`` (3xx elsewhere than the login), ``login`` (sent to the
login page), ``403``, ``404`` (an object that does not exist: URLs whose parameters are not
mapped to a real object below get dummy values, and a page may check the role first), ``405``
(POST only), ``429``.

Object level (second half of the file): the objects that have an owner or a restriction (the
author's private note, the mandate bound to its signatory and its scans, the partner's monthly
report and places) each carry a canary, a word nobody else writes. Every URL is opened by every
role, plus ``outsider`` (another partner's staff) and an API client holding a token with every
scope, and each response is read as a person would read it (the text of a PDF, the sheets of
an XLSX or ODS file, a streamed file): a canary may only appear for the roles allowed to read
its object. A new page, export or field that shows an owned object to someone else fails there,
without anybody adding a line. The writes to those objects are tried by everyone else too.
"""

import contextlib
import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from relais.accounts.enums import Role
from relais.mandates.services import mandate_attach_scan

from .activities.factories import record_individual
from .beneficiaries.factories import BeneficiaryFactory
from .factories import AdvisorFactory, TOTPDeviceFactory
from .mandates.factories import make_mandate
from .test_meta import DUMMY_KWARGS, _iter_patterns

ROLES = (
    "anonymous",
    "coordinator",
    "advisor",
    "other_advisor",
    "partner_staff",
    "committee_member",
    "administrator",
)

# Shorthands for the common rows.
ADVISERS_ONLY = ("login", "403", "ok", "ok", "403", "403", "403")
COUNTS_ONLY = ("login", "ok", "403", "403", "403", "403", "ok")
PUBLIC = ("ok",) * 7
EVERY_STAFF = ("login", "ok", "ok", "ok", "ok", "ok", "ok")
POST_ONLY = ("login", "405", "405", "405", "405", "405", "405")
# The register of rights requests: advisers and the controller's coordinators (issue 20 §4).
HANDLERS = ("login", "ok", "ok", "ok", "403", "403", "403")

EXPECTED: dict[str, tuple[str, ...]] = {}  # filled below, sorted by URL name


def _row(name: str, *answers: str) -> None:
    assert len(answers) == len(ROLES), name
    EXPECTED[name] = tuple(answers)


# fmt: off
# --- Mandates and data-subject rights (this table's first users) ------------------------------
EXPECTED.update({
    "mandates:list": ADVISERS_ONLY,
    "mandates:summary": COUNTS_ONLY,
    "mandates:create": ADVISERS_ONLY,
    "mandates:detail": ADVISERS_ONLY,
    "mandates:pdf": ADVISERS_ONLY,
    "mandates:action_create": POST_ONLY,
    "mandates:complete": POST_ONLY,
    "mandates:revoke": ADVISERS_ONLY,
    "mandates:revoke_family": POST_ONLY,
    # Not revoked: no receipt yet.
    "mandates:revocation_receipt": ("login", "403", "404", "404", "403", "403", "403"),
    "mandates:scan_upload": POST_ONLY,
    "mandates:scan": ADVISERS_ONLY,
    # Version 1, replaced: whoever may act under the mandate (bound to ``advisor``).
    "mandates:scan_version": ("login", "403", "ok", "403", "403", "403", "403"),
    "rights:list": HANDLERS,
    "rights:summary": COUNTS_ONLY,
    "rights:create": HANDLERS,
    "rights:detail": HANDLERS,
    "rights:beneficiary": ADVISERS_ONLY,
    "rights:export_json": ADVISERS_ONLY,
    "rights:export_pdf": ADVISERS_ONLY,
    "rights:opposition": ADVISERS_ONLY,
    "rights:erasure": ADVISERS_ONLY,
})
# --- The rest of the application, as observed when the matrix was written (2026-11) ------------
# Each app's owner reviews its rows; a change of answer is a decision, taken here.
EXPECTED.update({
    "accounts:account": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts:login": ("ok", "moved", "moved", "moved", "moved", "moved", "moved"),
    "accounts:logout": ("405", "405", "405", "405", "405", "405", "405"),
    "accounts:otp_setup": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts:otp_verify": ("login", "moved", "moved", "moved", "ok", "ok", "moved"),
    "accounts:password_change": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts:password_reset": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts:password_reset_complete": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts:password_reset_confirm": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts:password_reset_done": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "accounts:recovery_codes": ("login", "moved", "moved", "moved", "moved", "moved", "moved"),
    "accounts:recovery_codes_regenerate": ("login", "405", "405", "405", "405", "405", "405"),
    "accounts:two_factor_reset": ("login", "405", "405", "405", "405", "405", "405"),
    "activities:create": ("login", "403", "ok", "ok", "403", "403", "403"),
    "activities:detail": ("login", "403", "ok", "ok", "403", "403", "403"),
    "activities:edit": ("login", "403", "ok", "403", "403", "403", "403"),
    "activities:list": ("login", "403", "ok", "ok", "403", "403", "403"),
    "admin:index": ("login", "login", "login", "login", "login", "login", "ok"),
    "agreements:amendment_prepare": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:annex_file": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:source_file": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:amendment_sign": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:amendment_withdraw": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:commitment_add": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:commitment_remove": ("login", "404", "403", "403", "403", "403", "404"),
    # Issue 13 §3: Art. 5 requests (either party asks, the other decides), contacts and
    # insurance certificates (coordinators).
    "agreements:communication_create": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:communication_detail": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:communication_file": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:communication_list": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "agreements:communication_withdraw": ("login", "405", "405", "405", "405", "405", "405"),
    "agreements:contact_add": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:contact_delete": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:contact_edit": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:insurance_add": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:insurance_file": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:create": ("login", "ok", "403", "403", "403", "403", "ok"),
    "agreements:deadlines": ("login", "ok", "403", "403", "403", "403", "ok"),
    "agreements:deliberation_detail": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:deliberation_pdf": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:detail": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:edit": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:import": ("login", "ok", "403", "403", "403", "403", "ok"),
    "agreements:import_confirm": ("login", "405", "405", "405", "405", "405", "405"),
    "agreements:list": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "agreements:opposition": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:pdf": ("login", "404", "404", "404", "404", "404", "404"),
    "agreements:remedy": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:send_for_signature": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:signatory_add": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:signature_record": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:successor": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:termination": ("login", "404", "403", "403", "403", "403", "404"),
    "api:activities": ("401", "401", "401", "401", "401", "401", "401"),
    "api:openapi": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "api:stats": ("401", "401", "401", "401", "401", "401", "401"),
    "api:token_list": ("login", "ok", "403", "403", "403", "403", "ok"),
    "api:token_revoke": ("login", "405", "405", "405", "405", "405", "405"),
    "beneficiaries:create": ("login", "403", "ok", "ok", "403", "403", "403"),
    "beneficiaries:delete": ("login", "403", "ok", "ok", "403", "403", "403"),
    "beneficiaries:detail": ("login", "403", "ok", "ok", "403", "403", "403"),
    "beneficiaries:edit": ("login", "403", "ok", "ok", "403", "403", "403"),
    "beneficiaries:import": ("login", "403", "ok", "ok", "403", "403", "403"),
    "beneficiaries:list": ("login", "403", "ok", "ok", "403", "403", "403"),
    "beneficiaries:merge": ("login", "403", "ok", "ok", "403", "403", "403"),
    "beneficiaries:pick": ("login", "403", "ok", "ok", "403", "403", "403"),
    "appointments:book": ("404", "404", "404", "404", "404", "404", "404"),
    "appointments:cancel": ("login", "404", "404", "404", "404", "404", "404"),
    "appointments:consent": ("404", "404", "404", "404", "404", "404", "404"),
    "appointments:form": ("404", "404", "404", "404", "404", "404", "404"),
    "appointments:list": ("login", "404", "404", "404", "403", "403", "404"),
    "appointments:manage": ("404", "404", "404", "404", "404", "404", "404"),
    "appointments:mark": ("login", "405", "405", "405", "405", "405", "405"),
    "appointments:places": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    # The place below (the partner staff's own): whoever may change the place.
    "appointments:settings": ("login", "ok", "403", "403", "ok", "403", "ok"),
    "appointments:type_create": ("login", "ok", "403", "403", "403", "403", "ok"),
    "appointments:type_edit": ("login", "404", "403", "403", "403", "403", "404"),
    "appointments:types": ("login", "ok", "403", "403", "403", "403", "ok"),
    "bookings:attendance": ("login", "405", "405", "405", "405", "405", "405"),
    "bookings:consent": ("404", "404", "404", "404", "404", "404", "404"),
    "bookings:manage": ("404", "404", "404", "404", "404", "404", "404"),
    "bookings:register": ("404", "404", "404", "404", "404", "404", "404"),
    "bookings:registration_cancel": ("login", "405", "405", "405", "405", "405", "405"),
    "bookings:roster": ("login", "404", "404", "404", "404", "404", "404"),
    "bookings:session_cancel": ("login", "404", "404", "404", "404", "404", "404"),
    "bookings:staff_register": ("login", "404", "404", "404", "404", "404", "404"),
    "committee:action_create": ("login", "404", "403", "403", "403", "403", "403"),
    "committee:action_edit": ("login", "404", "403", "403", "403", "403", "403"),
    "committee:index": ("login", "ok", "403", "403", "403", "ok", "ok"),
    "committee:meeting_create": ("login", "ok", "403", "403", "403", "403", "403"),
    "committee:meeting_detail": ("login", "404", "403", "403", "403", "404", "404"),
    "committee:meeting_edit": ("login", "404", "403", "403", "403", "403", "403"),
    "committee:meeting_invite": POST_ONLY,
    "committee:meeting_minutes": ("login", "404", "403", "403", "403", "404", "404"),
    "committee:meeting_attendance": ("login", "404", "403", "403", "403", "403", "403"),
    "committee:member_create": ("login", "ok", "403", "403", "403", "403", "403"),
    "committee:member_edit": ("login", "404", "403", "403", "403", "403", "403"),
    "committee:member_list": ("login", "ok", "403", "403", "403", "ok", "ok"),
    "committee:review": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "committee:review_pdf": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "core:health": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "dashboards:home": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "core:organisation_detail": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "core:organisation_list": ("login", "ok", "403", "403", "403", "ok", "ok"),
    "monthly:correct": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:create": ("login", "405", "405", "405", "405", "405", "405"),
    # The partner's submitted report (another partner's staff: see OUTSIDER_EXPECTED).
    "monthly:detail": ("login", "ok", "ok", "ok", "ok", "403", "ok"),
    "monthly:list": ("login", "ok", "ok", "ok", "ok", "403", "ok"),
    "monthly:return": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:submit": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:update": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:validate": ("login", "405", "405", "405", "405", "405", "405"),
    "places:detail": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "places:edit": ("login", "ok", "403", "403", "ok", "403", "ok"),
    "places:list": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "public:opendata_csv": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "public:opendata_json": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "planning:checks": ("login", "ok", "403", "403", "403", "403", "ok"),
    "planning:closure_create": ("login", "ok", "403", "403", "ok", "403", "ok"),
    "planning:closure_delete": ("login", "405", "405", "405", "405", "405", "405"),
    "planning:closure_edit": ("login", "404", "404", "404", "404", "404", "404"),
    "planning:closure_list": ("login", "ok", "403", "403", "ok", "403", "ok"),
    "planning:coverage": ("login", "ok", "403", "403", "403", "403", "ok"),
    "planning:coverage_csv": ("login", "ok", "403", "403", "403", "403", "ok"),
    "planning:coverage_xlsx": ("login", "ok", "403", "403", "403", "403", "ok"),
    "planning:my_week": ("login", "403", "ok", "ok", "403", "403", "403"),
    "planning:occurrence": ("login", "404", "403", "403", "403", "403", "404"),
    "planning:planner": ("login", "ok", "403", "403", "403", "403", "ok"),
    "planning:planner_apply": ("login", "405", "405", "405", "405", "405", "405"),
    "planning:planner_detail": ("login", "404", "403", "403", "403", "403", "404"),
    "planning:planner_run": ("login", "405", "405", "405", "405", "405", "405"),
    "planning:planner_status": ("login", "404", "403", "403", "403", "403", "404"),
    "planning:slot_create": ("login", "ok", "403", "403", "403", "403", "ok"),
    "planning:slot_delete": ("login", "405", "405", "405", "405", "405", "405"),
    "planning:slot_detail": ("login", "404", "403", "403", "403", "403", "404"),
    "planning:slot_edit": ("login", "404", "403", "403", "403", "403", "404"),
    "planning:slot_list": ("login", "ok", "403", "403", "403", "403", "ok"),
    "privacy:index": ("login", "moved", "403", "403", "403", "403", "moved"),
    "privacy:journal_verify": ("login", "405", "405", "405", "405", "405", "405"),
    "privacy:purges": ("login", "403", "403", "403", "403", "403", "ok"),
    "privacy:record": ("login", "ok", "403", "403", "403", "403", "ok"),
    "privacy:record_pdf": ("login", "ok", "403", "403", "403", "403", "ok"),
    "public:advisor_feed": ("404", "404", "404", "404", "404", "404", "404"),
    "public:feed_token_create": ("login", "405", "405", "405", "405", "405", "405"),
    "public:feed_token_revoke": ("login", "405", "405", "405", "405", "405", "405"),
    "public:my_agenda": ("login", "403", "ok", "ok", "403", "403", "403"),
    "public:place": ("404", "404", "404", "404", "404", "404", "404"),
    "public:place_feed": ("404", "404", "404", "404", "404", "404", "404"),
    "public:place_index": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "public:place_poster": ("404", "404", "404", "404", "404", "404", "404"),
    "reporting:dashboard": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    # In CSV (every format in the object-level crawl below).
    "reporting:export_activities": ("login", "ok", "ok", "ok", "ok", "403", "ok"),
    "reporting:export_statistics": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "team:detail": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    "team:edit": ("login", "ok", "403", "403", "403", "403", "ok"),
    "team:leave_create": ("login", "ok", "403", "403", "403", "403", "ok"),
    "team:leave_delete": ("login", "405", "405", "405", "405", "405", "405"),
    "team:leave_edit": ("login", "404", "403", "403", "403", "403", "404"),
    "team:leave_list": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    "team:list": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    "workshops:catalogue": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "workshops:place_ics": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "workshops:programme": ("login", "ok", "ok", "ok", "ok", "403", "ok"),
    "bookings:session_edit": ("login", "404", "404", "404", "404", "404", "404"),
    "workshops:session_list": ("login", "ok", "ok", "ok", "ok", "403", "ok"),
    "workshops:session_new": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    "workshops:topic": ("404", "404", "404", "404", "404", "404", "404"),
    "workshops:topic_edit": ("login", "404", "404", "404", "404", "404", "404"),
    "workshops:topic_list": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    "workshops:topic_new": ("login", "ok", "403", "403", "403", "403", "ok"),
})
# --- Offline entry (ADR 0008): the service worker and the manifest hold no data ---------------
EXPECTED.update({
    "service_worker": PUBLIC,
    "web_manifest": PUBLIC,
    # The adviser's own reference lists and a CSRF token for the service worker's sending.
    "activities:offline_lists": ("login", "403", "ok", "ok", "403", "403", "403"),
    "activities:offline_token": ("login", "403", "ok", "ok", "403", "403", "403"),
    # « Nouvelle personne » on the activity form: a POST from the form's panel.
    "beneficiaries:create_inline": POST_ONLY,
})
# --- Background work: the outbox and the jobs page (coordinators and administrators) ----------
EXPECTED.update({
    "jobs:jobs": COUNTS_ONLY,
    # A large export: the adviser who asked for it and the coordination; nobody else.
    "jobs:export": ("login", "ok", "ok", "403", "403", "403", "ok"),
    "jobs:export_download": ("login", "ok", "ok", "403", "403", "403", "ok"),
    # A large import: only the person who sent the file (it names the people imported).
    "jobs:import": ("login", "ok", "403", "403", "403", "403", "403"),
    "jobs:import_confirm": POST_ONLY,
    "messaging:outbox": COUNTS_ONLY,
    "messaging:resend": POST_ONLY,
})
# fmt: on


# Canaries: words nobody else writes, one per owned object (no hyphen nor space, so that a PDF
# line break cannot split one).
NOTE = "CANARINOTEPRIVEE"
OLD_SCAN = "CANARISCANREMPLACE"
CURRENT_SCAN = "CANARISCANENVIGUEUR"
REPORT_COMMENT = "CANARICOMPTERENDU"


class World:
    """Real objects for the URLs whose parameters name one (others get dummies).

    ``advisor`` owns them: the author of the activity and its private note, the signatory of a
    mandate bound to them alone, with a signed scan replaced once; ``partner`` owns the place
    and a submitted monthly report; ``coordinator`` sent a large import.
    """

    def __init__(self, *, advisor, partner, place, coordinator):
        self.advisor = advisor
        self.partner = partner
        self.place = place
        self.beneficiary = BeneficiaryFactory()
        self.activity = record_individual(
            advisor, place=place, beneficiary=self.beneficiary, private_notes=f"Rappel {NOTE}"
        )
        self.mandate = make_mandate(beneficiary=self.beneficiary, advisor=advisor, binds="advisor")
        for canary in (OLD_SCAN, CURRENT_SCAN):
            mandate_attach_scan(
                mandate=self.mandate,
                user=advisor.user,
                uploaded=SimpleUploadedFile("scan.pdf", f"%PDF-1.4\n{canary}\n%%EOF\n".encode()),
            )
        from relais.monthly.figures import previous_month
        from relais.monthly.services import monthly_report_create, monthly_report_submit
        from relais.rights.services import rights_request_create

        self.rights_request = rights_request_create(
            user=advisor.user,
            kind="access",
            channel="in_person",
            received_on=timezone.localdate() - timedelta(days=2),
            beneficiary=self.beneficiary,
        )
        self.report = monthly_report_submit(
            report=monthly_report_create(
                partner=partner, month=previous_month(timezone.localdate()), user=advisor.user
            ),
            user=advisor.user,
            adviser_comment=f"Faits marquants : {REPORT_COMMENT}",
        )
        from django.core.files.base import ContentFile

        from relais.jobs.models import ExportJob, ImportJob

        # A large export the adviser asked for, written (into the test's RELAIS_EXPORTS_DIR).
        self.export_job = ExportJob(
            requested_by=advisor.user, label="Activités", kind="activities", fmt="csv",
            fingerprint="matrix", filename="activites.csv", status=ExportJob.Status.DONE,
            expires_at=timezone.now() + timedelta(hours=1),
        )  # fmt: skip
        self.export_job.file.save("activites.csv", ContentFile(b"Identifiant\r\n"))
        # A large import the coordinator sent, checked and waiting for confirmation.
        self.import_job = ImportJob(
            requested_by=coordinator, label="Personnes accompagnées",
            importer="relais.beneficiaries.importing.JobSteps", filename="personnes.xlsx",
            digest="0" * 64, fingerprint="matrix", status=ImportJob.Status.CHECKED,
        )  # fmt: skip
        self.import_job.file.save("personnes.xlsx", ContentFile(b"PK"))

    def _objects(self, name: str) -> dict:
        namespace = name.split(":")[0]
        objects = {
            "beneficiaries": {"pk": self.beneficiary.pk},
            "activities": {"pk": self.activity.pk},
            "mandates": {
                "pk": self.mandate.pk,
                "beneficiary_pk": self.beneficiary.pk,
                "version": 1,
            },
            "places": {"slug": self.place.slug},
            "monthly": {"pk": self.report.pk},
            "reporting": {"fmt": "csv"},
        }.get(namespace, {})
        specific = {
            "rights:detail": {"pk": self.rights_request.pk},
            "team:detail": {"pk": self.advisor.pk},
            "team:edit": {"pk": self.advisor.pk},
            "core:organisation_detail": {"pk": self.partner.pk},
            "workshops:place_ics": {"slug": self.place.slug},
            "appointments:settings": {"place_slug": self.place.slug},
            "jobs:export": {"pk": self.export_job.pk},
            "jobs:export_download": {"pk": self.export_job.pk},
            "jobs:import": {"pk": self.import_job.pk},
            "jobs:import_confirm": {"pk": self.import_job.pk},
        }
        if namespace == "rights" and name != "rights:detail":
            # The person's rights page, exports, opposition and erasure take the person.
            objects = {"pk": self.beneficiary.pk}
        return specific.get(name, objects)

    def kwargs_for(self, name: str, pattern, **override) -> dict:
        objects = {**self._objects(name), **override}
        kwargs = {}
        for key, converter in pattern.pattern.converters.items():
            if key in objects:
                kwargs[key] = objects[key]
            else:
                kind = type(converter).__name__.replace("Converter", "").lower()
                kwargs[key] = DUMMY_KWARGS.get(kind, "x")
        return kwargs

    def names_a_partner_object(self, name: str, pattern) -> bool:
        """Whether the URL names the partner's place, report or organisation."""
        owned = {
            ("slug", self.place.slug),
            ("place_slug", self.place.slug),
            ("pk", self.report.pk if name.startswith("monthly:") else None),
            ("pk", self.partner.pk if name == "core:organisation_detail" else None),
        }
        return any(item in owned for item in self.kwargs_for(name, pattern).items())


def _urls(world: World):
    for name, pattern in _iter_patterns():
        if name.startswith("admin:") and name != "admin:index":
            continue  # Django's own admin: its index stands for all of it
        yield name, reverse(name, kwargs=world.kwargs_for(name, pattern))


def _answer(response) -> str:
    code = response.status_code
    if code in {301, 302, 303, 307, 308}:
        login = reverse("accounts:login")
        location = response["Location"]
        # The admin sends to its own login first, which sends to ours.
        if location.startswith(login) or "/admin/login/" in location:
            return "login"
        return "moved"
    if 200 <= code < 300:
        return "ok"
    return str(code)


@pytest.fixture
def world(advisor_user, partner, place, coordinator, settings, tmp_path):
    settings.RELAIS_EXPORTS_DIR = tmp_path / "exports"
    return World(
        advisor=advisor_user.advisor, partner=partner, place=place, coordinator=coordinator
    )


@pytest.fixture
def clients(
    client,
    coordinator_client,
    advisor_client,
    partner_client,
    committee_client,
    administrator_client,
    client_for,
):
    from django.test import Client

    other = AdvisorFactory()
    TOTPDeviceFactory(user=other.user)
    return {
        "anonymous": Client(),
        "coordinator": coordinator_client,
        "advisor": advisor_client,
        "other_advisor": client_for(other.user),
        "partner_staff": partner_client,
        "committee_member": committee_client,
        "administrator": administrator_client,
    }


def _observe(clients, world) -> dict[str, tuple[str, ...]]:
    observed = {}
    for name, url in _urls(world):
        observed[name] = tuple(_answer(clients[role].get(url)) for role in ROLES)
    return observed


@pytest.fixture
def no_pdf_rendering(monkeypatch):
    """Access is decided before a document is drawn: skip WeasyPrint (seconds per PDF)."""
    from weasyprint import HTML

    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7 stub")


@pytest.mark.django_db
def test_every_url_answers_every_role_as_the_matrix_says(clients, world, no_pdf_rendering):
    observed = _observe(clients, world)
    missing = sorted(set(observed) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(observed))
    wrong = {
        name: (EXPECTED[name], answers)
        for name, answers in observed.items()
        if name in EXPECTED and EXPECTED[name] != answers
    }
    problems = []
    if missing:
        problems.append(
            "URL names missing from EXPECTED (decide who may open them; observed now):\n"
            + "\n".join(f"    {name!r}: {observed[name]!r}," for name in missing)
        )
    if stale:
        problems.append(f"Rows for URL names that no longer exist: {stale}")
    for name, (expected, answers) in sorted(wrong.items()):
        diffs = ", ".join(
            f"{role}: expected {e}, got {a}"
            for role, e, a in zip(ROLES, expected, answers, strict=True)
            if e != a
        )
        problems.append(f"{name}: {diffs}")
    assert not problems, "Access matrix (roles: " + ", ".join(ROLES) + ")\n" + "\n".join(problems)


def test_the_matrix_covers_the_roles_of_the_application():
    assert set(Role.values) <= set(ROLES)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


# --- Object level: owned objects never reach anybody else -----------------------------------

# Who may read each canary's object. Everybody else must never get it, in any response.
READERS = {
    NOTE: {"advisor"},  # a private note: its author only, on every page and in every export
    OLD_SCAN: {"advisor"},  # a replaced scan: whoever may act under the mandate
    CURRENT_SCAN: {"advisor", "other_advisor"},  # the signed mandate: the team's advisers
    REPORT_COMMENT: {"coordinator", "advisor", "other_advisor", "partner_staff", "administrator"},
}
# Where the readers find them: proves that the canaries are planted and the pages reached.
SEEN_AT = {
    (NOTE, "advisor"): {
        "activities:detail",
        "activities:edit",
        "rights:export_json",
        "rights:export_pdf",
    },
    (OLD_SCAN, "advisor"): {"mandates:scan_version"},
    (CURRENT_SCAN, "advisor"): {"mandates:scan"},
    (CURRENT_SCAN, "other_advisor"): {"mandates:scan"},
    (REPORT_COMMENT, "partner_staff"): {"monthly:detail"},
}
LEAK_ROLES = (*ROLES, "outsider", "api_token")
FORMATS = ("csv", "xlsx", "ods")  # every format of the URLs taking one

# The answer of another partner's staff to the URLs naming the partner's objects (their own
# partner's staff get the ``partner_staff`` column above). A URL naming one of them and
# missing here fails the test below.
OUTSIDER_EXPECTED = {
    "appointments:settings": "403",
    "core:organisation_detail": "403",
    "monthly:correct": "405",
    "monthly:detail": "403",
    "monthly:return": "405",
    "monthly:submit": "405",
    "monthly:update": "405",
    "monthly:validate": "405",
    "places:detail": "403",
    "places:edit": "403",
    "workshops:place_ics": "ok",  # the public calendar of the place
}


def _readable(response) -> str:
    """What a person gets to read from a response: text, a PDF's text, a spreadsheet's cells."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body.decode("utf-8", errors="replace")]
    if body.startswith(b"%PDF"):
        # A test scan is a PDF header around raw text (read above); a document is a real PDF.
        with contextlib.suppress(PdfReadError):
            parts += [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]
    if body.startswith(b"PK"):  # XLSX, ODS: the XML of every member
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    # No canary holds a space: a PDF's line breaks and a cell's wrapping cannot hide one.
    return "".join("".join(parts).split()).upper()


@pytest.fixture
def leak_clients(clients, client_for, other_partner, coordinator):
    from django.test import Client

    from relais.api.enums import Scope
    from relais.api.services import api_token_create

    from .factories import UserFactory

    outsider = UserFactory(role=Role.PARTNER_STAFF, organisation=other_partner)
    TOTPDeviceFactory(user=outsider)
    _, secret = api_token_create(user=coordinator, name="Canaris", scopes=list(Scope.values))
    return {
        **clients,
        "outsider": client_for(outsider),
        "api_token": Client(HTTP_AUTHORIZATION=f"Bearer {secret}"),
    }


def _crawl(world: World):
    """Every GET URL, with every format for the URLs that take one; in Django's admin, every
    model's list and the change page of each object of the world."""
    from django.contrib import admin

    for name, pattern in _iter_patterns():
        if name.startswith("admin:") and name != "admin:index":
            continue
        formats = FORMATS if "fmt" in pattern.pattern.converters else (None,)
        for fmt in formats:
            override = {"fmt": fmt} if fmt else {}
            yield name, pattern, reverse(name, kwargs=world.kwargs_for(name, pattern, **override))
    objects = [
        world.activity,
        world.beneficiary,
        world.mandate,
        *world.mandate.scans.all(),
        world.report,
        world.place,
    ]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield f"{prefix}_changelist", None, reverse(f"{prefix}_changelist")
        for instance in objects:
            if isinstance(instance, model):
                yield f"{prefix}_change", None, reverse(f"{prefix}_change", args=[instance.pk])


@pytest.mark.django_db
def test_no_response_shows_an_owned_object_to_anybody_else(leak_clients, world):
    """Issue 12: the data-subject export carried another adviser's private note."""
    leaks, seen, outsider = [], {}, {}
    for name, pattern, url in _crawl(world):
        for role in LEAK_ROLES:
            response = leak_clients[role].get(url)
            text = _readable(response)
            for canary, readers in READERS.items():
                if canary not in text:
                    continue
                seen.setdefault((canary, role), set()).add(name)
                if role not in readers:
                    leaks.append(f"{role} reads {canary} at {url} ({name})")
            if role == "outsider" and pattern and world.names_a_partner_object(name, pattern):
                outsider[name] = _answer(response)
    assert leaks == []
    for key, names in SEEN_AT.items():
        assert names <= seen.get(key, set()), f"{key}: seen only at {seen.get(key)}"
    missing = sorted(set(outsider) - set(OUTSIDER_EXPECTED))
    assert not missing, "URLs naming a partner's object, answer of another partner's staff:\n" + (
        "\n".join(f"    {name!r}: {outsider[name]!r}," for name in missing)
    )
    assert outsider == OUTSIDER_EXPECTED


def _state(world: World) -> dict:
    """What the writes below could change."""
    from relais.activities.models import Activity
    from relais.mandates.models import Mandate
    from relais.monthly.models import MonthlyReport
    from relais.places.models import Place

    mandate = Mandate.objects.get(pk=world.mandate.pk)
    return {
        "scans": list(mandate.scans.values_list("version", "sha256")),
        "current_scan": mandate.current_scan_id,
        "actions": mandate.actions.count(),
        "mandate": (mandate.completed_at, mandate.revoked_at),
        "note": Activity.objects.get(pk=world.activity.pk).private_notes,
        "report": MonthlyReport.objects.filter(partner=world.partner)
        .values_list("pk", "status", "adviser_comment", "return_comment")
        .get(),
        "place": Place.objects.filter(pk=world.place.pk).values().get(),
    }


# Writes to an owned object, and who may make them. Everybody else is tried, and must get the
# login page or 403 and change nothing.
OBJECT_WRITES = {
    "activities:edit": ({"advisor"}, {"private_notes": "Réécrite", "duration": "30"}),
    "mandates:scan_upload": ({"advisor"}, {}),
    "mandates:action_create": ({"advisor"}, {"procedure": "family:social_health", "kind": "form"}),
    "mandates:complete": ({"advisor"}, {}),
    "monthly:update": (
        {"coordinator", "advisor", "other_advisor"},
        {"adviser_comment": "Réécrit"},
    ),
    "monthly:return": ({"partner_staff"}, {"comment": "Renvoyé"}),
    "monthly:validate": ({"partner_staff"}, {}),
    "places:edit": ({"coordinator", "partner_staff", "administrator"}, {"name": "Renommé"}),
}


@pytest.mark.django_db
def test_nobody_else_changes_an_owned_object(leak_clients, world):
    """Issue 12: any adviser could replace (so delete) the scan of another adviser's mandate."""
    before = _state(world)
    wrong = []
    for name, (writers, data) in OBJECT_WRITES.items():
        pattern = dict(_iter_patterns())[name]
        url = reverse(name, kwargs=world.kwargs_for(name, pattern))
        for role in LEAK_ROLES:
            if role in writers or role == "api_token":
                continue
            payload = dict(data)
            if name == "mandates:scan_upload":
                payload["file"] = SimpleUploadedFile("x.pdf", b"%PDF-1.4\nforged\n%%EOF\n")
            answer = _answer(leak_clients[role].post(url, payload))
            if answer not in {"login", "403"}:
                wrong.append(f"{role} POST {name}: {answer}")
    assert wrong == []
    assert _state(world) == before

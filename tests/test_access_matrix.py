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
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

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
    # Not revoked: no receipt yet.
    "mandates:revocation_receipt": ("login", "403", "404", "404", "403", "403", "403"),
    "mandates:scan_upload": POST_ONLY,
    "mandates:scan": ADVISERS_ONLY,
    "privacy:rights_list": ADVISERS_ONLY,
    "privacy:rights_summary": COUNTS_ONLY,
    "privacy:rights_create": ADVISERS_ONLY,
    "privacy:rights_detail": ADVISERS_ONLY,
    "privacy:beneficiary_rights": ADVISERS_ONLY,
    "privacy:beneficiary_export_json": ADVISERS_ONLY,
    "privacy:beneficiary_export_pdf": ADVISERS_ONLY,
    "privacy:beneficiary_opposition": ADVISERS_ONLY,
    "privacy:beneficiary_erasure": ADVISERS_ONLY,
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
    "agreements:amendment_sign": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:amendment_withdraw": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:commitment_add": ("login", "404", "403", "403", "403", "403", "404"),
    "agreements:commitment_remove": ("login", "404", "403", "403", "403", "403", "404"),
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
    "bookings:appointment_book": ("404", "404", "404", "404", "404", "404", "404"),
    "bookings:appointment_cancel": ("login", "405", "405", "405", "405", "405", "405"),
    "bookings:appointment_consent": ("404", "404", "404", "404", "404", "404", "404"),
    "bookings:appointment_form": ("404", "404", "404", "404", "404", "404", "404"),
    "bookings:appointment_list": ("login", "404", "404", "404", "403", "403", "404"),
    "bookings:appointment_manage": ("404", "404", "404", "404", "404", "404", "404"),
    "bookings:appointment_mark": ("login", "405", "405", "405", "405", "405", "405"),
    "bookings:appointment_places": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    # The place below (the partner staff's own): whoever may change the place.
    "bookings:appointment_settings": ("login", "ok", "403", "403", "ok", "403", "ok"),
    "bookings:appointment_type_create": ("login", "ok", "403", "403", "403", "403", "ok"),
    "bookings:appointment_type_edit": ("login", "404", "403", "403", "403", "403", "404"),
    "bookings:appointment_types": ("login", "ok", "403", "403", "403", "403", "ok"),
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
    "committee:member_create": ("login", "ok", "403", "403", "403", "403", "403"),
    "committee:member_edit": ("login", "404", "403", "403", "403", "403", "403"),
    "committee:member_list": ("login", "ok", "403", "403", "403", "ok", "ok"),
    "committee:review": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "committee:review_pdf": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "core:health": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "core:home": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "core:organisation_detail": ("login", "ok", "403", "403", "ok", "ok", "ok"),
    "core:organisation_list": ("login", "ok", "403", "403", "403", "ok", "ok"),
    "monthly:correct": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:create": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:detail": ("login", "404", "404", "404", "404", "404", "404"),
    "monthly:list": ("login", "ok", "ok", "ok", "ok", "403", "ok"),
    "monthly:return": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:submit": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:update": ("login", "405", "405", "405", "405", "405", "405"),
    "monthly:validate": ("login", "405", "405", "405", "405", "405", "405"),
    "places:detail": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "places:edit": ("login", "ok", "403", "403", "ok", "403", "ok"),
    "places:list": ("login", "ok", "ok", "ok", "ok", "ok", "ok"),
    "places:opendata_csv": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
    "places:opendata_json": ("ok", "ok", "ok", "ok", "ok", "ok", "ok"),
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
    "reporting:export_activities": ("login", "404", "404", "404", "404", "404", "404"),
    "reporting:export_statistics": ("login", "404", "404", "404", "404", "404", "404"),
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
    "workshops:session_edit": ("login", "404", "404", "404", "404", "404", "404"),
    "workshops:session_list": ("login", "ok", "ok", "ok", "ok", "403", "ok"),
    "workshops:session_new": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    "workshops:topic": ("404", "404", "404", "404", "404", "404", "404"),
    "workshops:topic_edit": ("login", "404", "404", "404", "404", "404", "404"),
    "workshops:topic_list": ("login", "ok", "ok", "ok", "403", "403", "ok"),
    "workshops:topic_new": ("login", "ok", "403", "403", "403", "403", "ok"),
})
# fmt: on


class World:
    """Real objects for the URLs whose parameters name one (others get dummies)."""

    def __init__(self, *, advisor, partner, place):
        self.advisor = advisor
        self.partner = partner
        self.place = place
        self.beneficiary = BeneficiaryFactory()
        self.activity = record_individual(advisor, place=place, beneficiary=self.beneficiary)
        self.mandate = make_mandate(beneficiary=self.beneficiary, advisor=advisor, binds="advisor")
        mandate_attach_scan(
            mandate=self.mandate,
            user=advisor.user,
            uploaded=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
        )
        from relais.privacy.rights import rights_request_create

        self.rights_request = rights_request_create(
            user=advisor.user,
            kind="access",
            channel="in_person",
            received_on=timezone.localdate() - timedelta(days=2),
            beneficiary=self.beneficiary,
        )

    def kwargs_for(self, name: str, pattern) -> dict:
        namespace = name.split(":")[0]
        objects = {
            "beneficiaries": {"pk": self.beneficiary.pk},
            "activities": {"pk": self.activity.pk},
            "mandates": {"pk": self.mandate.pk, "beneficiary_pk": self.beneficiary.pk},
            "places": {"slug": self.place.slug},
        }.get(namespace, {})
        specific = {
            "privacy:rights_detail": {"pk": self.rights_request.pk},
            "team:detail": {"pk": self.advisor.pk},
            "team:edit": {"pk": self.advisor.pk},
            "core:organisation_detail": {"pk": self.partner.pk},
            "workshops:place_ics": {"slug": self.place.slug},
            "bookings:appointment_settings": {"place_slug": self.place.slug},
        }
        if name.startswith("privacy:beneficiary_"):
            objects = {"pk": self.beneficiary.pk}
        objects = specific.get(name, objects)
        kwargs = {}
        for key, converter in pattern.pattern.converters.items():
            if key in objects:
                kwargs[key] = objects[key]
            else:
                kind = type(converter).__name__.replace("Converter", "").lower()
                kwargs[key] = DUMMY_KWARGS.get(kind, "x")
        return kwargs


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
def world(advisor_user, partner, place):
    return World(advisor=advisor_user.advisor, partner=partner, place=place)


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

"""The purge: canaries planted in every personal-data field of every registered model vanish."""

import datetime as dt
import importlib
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from relais.accounts.enums import Role
from relais.accounts.models import User
from relais.agreements import services as agreement_services
from relais.agreements.models import AlertLog
from relais.privacy.enums import JournalAction
from relais.privacy.journal import journal_verify
from relais.privacy.models import JournalEntry, PurgeRun
from relais.privacy.registry import ANONYMOUS_EMAIL_DOMAIN, registry
from relais.privacy.services import PURGED_REPR, purge_run

from ..factories import (
    AdvisorFactory,
    DepartmentFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)


def _long_ago():
    return timezone.now() - dt.timedelta(days=365 * 5)


CANARY = "CANARI"
CANARY_IP = "192.0.2.77"
CANARY_DATE = dt.date(1903, 3, 3)
CANARY_NUMBER = 1903
TEXT_FIELDS = (models.CharField, models.TextField, models.FileField)  # a file: its name


def canary_for(model_field, tag: str):
    """A value nobody else would write, of the field's type (None: cannot hold one)."""
    if model_field.choices:
        return None  # an invalid choice would break the code that reads it, not test it
    if isinstance(model_field, models.GenericIPAddressField):
        return CANARY_IP
    if isinstance(model_field, TEXT_FIELDS):
        value = f"{CANARY}-{tag}"
        return value[: model_field.max_length] if model_field.max_length else value
    if isinstance(model_field, models.DateTimeField):
        return timezone.make_aware(dt.datetime.combine(CANARY_DATE, dt.time(12)))
    if isinstance(model_field, models.DateField):
        return CANARY_DATE
    if isinstance(model_field, models.IntegerField):
        return CANARY_NUMBER
    if isinstance(model_field, models.JSONField):
        return {"canari": f"{CANARY}-{tag}"}
    raise AssertionError(f"No canary for {model_field!r}: add one to canary_for().")


def plant(rule, instance) -> None:
    model = type(instance)
    values = {
        name: canary_for(model._meta.get_field(name), f"{rule.category}-{name}")
        for name in rule.fields
    }
    model.objects.filter(pk=instance.pk).update(
        **{name: value for name, value in values.items() if value is not None}
    )


# --- One due row and one fresh row per category -----------------------------------------------
# A new rule needs a maker here: the test below fails until it has one.


def _old_inactive_user(**extra):
    user = UserFactory(is_active=False, **extra)
    User.objects.filter(pk=user.pk).update(last_login=_long_ago(), date_joined=_long_ago())
    return user


def _recent_inactive_user(**extra):
    return UserFactory(is_active=False, last_login=timezone.now() - dt.timedelta(days=30), **extra)


def make_staff_accounts():
    return _old_inactive_user(), _recent_inactive_user()


def make_advisor_profiles():
    due = AdvisorFactory(
        user=_old_inactive_user(role=Role.ADVISOR),
        contract_start=dt.date(2020, 1, 1),
        contract_end=dt.date(2021, 1, 1),
    )
    fresh = AdvisorFactory(contract_start=dt.date(2024, 1, 1), contract_end=dt.date(2027, 1, 1))
    return due, fresh


def make_totp_devices():
    return TOTPDeviceFactory(user=_old_inactive_user()), TOTPDeviceFactory(user=UserFactory())


def make_recovery_codes():
    due = StaticDevice.objects.create(user=_old_inactive_user(), name="Codes de secours")
    StaticToken.objects.create(device=due, token=f"{CANARY}-code")
    fresh = StaticDevice.objects.create(user=_recent_inactive_user(), name="Codes de secours")
    return due, fresh


def make_sessions():
    due = Session.objects.create(
        session_key="canary-due",
        session_data="x",
        expire_date=timezone.now() - dt.timedelta(hours=1),
    )
    fresh = Session.objects.create(
        session_key="canary-fresh",
        session_data="y",
        expire_date=timezone.now() + dt.timedelta(hours=8),
    )
    return due, fresh


def _axes(model, **extra):
    common = {"user_agent": "Firefox", "http_accept": "*/*", "path_info": "/compte/connexion/"}
    due = model.objects.create(ip_address="10.0.0.1", username="a@exemple.test", **common, **extra)
    model.objects.filter(pk=due.pk).update(attempt_time=_long_ago())
    fresh = model.objects.create(
        ip_address="10.0.0.2", username="b@exemple.test", **common, **extra
    )
    return due, fresh


def make_login_attempts():
    return _axes(AccessAttempt, get_data="", post_data="", failures_since_start=1)


def make_login_failures():
    return _axes(AccessFailureLog)


def make_login_log():
    return _axes(AccessLog)


def make_admin_log():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    content_type = ContentType.objects.get_for_model(User)
    common = {"user": admin, "content_type": content_type, "action_flag": ADDITION}
    due = LogEntry.objects.create(object_id="1", object_repr="x", **common)
    LogEntry.objects.filter(pk=due.pk).update(action_time=_long_ago())
    fresh = LogEntry.objects.create(object_id=str(admin.pk), object_repr=str(admin), **common)
    return due, fresh


def make_agreement_alerts():
    agreement = agreement_services.agreement_create_draft(
        department=DepartmentFactory(), partner=OrganisationFactory(), title="Convention test"
    )
    common = {"agreement": agreement, "kind": "anniversary"}
    due = AlertLog.objects.create(due_on=dt.date(2020, 6, 1), recipient="a@exemple.test", **common)
    AlertLog.objects.filter(pk=due.pk).update(sent_at=_long_ago())
    fresh = AlertLog.objects.create(
        due_on=timezone.localdate() + dt.timedelta(days=30), recipient="b@exemple.test", **common
    )
    return due, fresh


def make_beneficiaries():
    from relais.beneficiaries.models import Beneficiary

    from ..beneficiaries.factories import BeneficiaryFactory

    due, fresh = BeneficiaryFactory(), BeneficiaryFactory()
    Beneficiary.objects.filter(pk=due.pk).update(
        created_at=_long_ago(), last_activity_on=_long_ago().date()
    )
    Beneficiary.objects.filter(pk=fresh.pk).update(
        created_at=_long_ago(), last_activity_on=timezone.now().date()
    )
    return due, fresh


def make_activity_notes():
    from relais.activities.models import Activity

    from ..activities.factories import record_individual
    from ..factories import PlaceFactory

    advisor, place = AdvisorFactory(), PlaceFactory()
    due = record_individual(advisor, place=place, date=timezone.now().date(), private_notes="x")
    Activity.objects.filter(pk=due.pk).update(date=_long_ago().date())
    fresh = record_individual(
        advisor, place=place, date=timezone.now().date(), private_notes="rappeler"
    )
    return due, fresh


def _discover_makers() -> dict:
    """This file's makers, plus ``make_<category>()`` of every ``tests/<app>/privacy_canaries.py``.

    An app that registers a rule adds its maker in its own tests (returning a due row and a
    row not yet due), so this test covers it without anybody editing this file.
    """
    found = {n.removeprefix("make_"): f for n, f in globals().items() if n.startswith("make_")}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"tests.{config.label}.privacy_canaries")
        except ModuleNotFoundError as error:
            if error.name != f"tests.{config.label}.privacy_canaries" and error.name != (
                f"tests.{config.label}"
            ):
                raise
            continue
        found.update(
            {n.removeprefix("make_"): f for n, f in vars(module).items() if n.startswith("make_")}
        )
    return found


MAKERS = _discover_makers()


def _snapshot(instance) -> dict:
    return type(instance).objects.filter(pk=instance.pk).values().get()


def _database_cells():
    """Every cell of every table, as text: the purge must leave no canary anywhere."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for cell in row:
                    if cell is not None:
                        yield table, str(cell)


def _rules_with_makers():
    return [rule for rule in registry.rules() if rule.category in MAKERS]


def test_every_rule_has_a_canary_maker():
    missing = [rule.category for rule in registry.rules() if rule.category not in MAKERS]
    assert not missing, (
        "Add make_<category>() returning (due row, fresh row) to "
        f"tests/<app>/privacy_canaries.py for {missing} (see tests/privacy/test_purge.py)"
    )


@pytest.fixture
def planted(db):
    """Canaries in every personal-data field of one due row per rule; one fresh row each.

    Rules without a maker are left out here and reported by the test above.
    """
    rows = {}
    for rule in _rules_with_makers():
        due, fresh = MAKERS[rule.category]()
        plant(rule, due)
        rows[rule.category] = (due, fresh, _snapshot(fresh))
    # The admin's history repeats the name of an account that will be anonymised.
    due_user = rows["staff_accounts"][0]
    LogEntry.objects.create(
        user=UserFactory(),
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(due_user.pk),
        object_repr=f"{CANARY}-repr-of-the-account",
        action_flag=ADDITION,
    )
    return rows


def test_no_canary_survives_the_purge_and_fresh_rows_are_untouched(planted):
    assert any(CANARY in cell for _, cell in _database_cells())  # the canaries are planted

    report = purge_run()

    assert not report.errors
    survivors = [
        (table, cell)
        for table, cell in _database_cells()
        if CANARY in cell.upper() or CANARY_IP in cell
    ]
    assert survivors == []
    for rule in _rules_with_makers():
        model = rule.model_class
        due = planted[rule.category][0]
        if rule.action == "delete":
            assert not model.objects.filter(pk=due.pk).exists(), rule.category
        for name in rule.fields:
            canary = canary_for(model._meta.get_field(name), "")
            if canary is not None and not isinstance(canary, str | dict):
                assert not model.objects.filter(**{name: canary}).exists(), (rule.category, name)
    for category, (_due, fresh, before) in planted.items():
        assert _snapshot(fresh) == before, f"{category}: a row not yet due was changed"


def test_anonymised_accounts_keep_their_row_role_and_references(planted):
    user, advisor = planted["staff_accounts"][0], planted["advisor_profiles"][0]
    TOTPDeviceFactory(user=user)

    purge_run()

    user.refresh_from_db()
    assert user.email == f"compte-{user.pk}@{ANONYMOUS_EMAIL_DOMAIN}"
    assert user.get_full_name() == f"Compte anonymisé n° {user.pk}"
    assert not user.has_usable_password()
    assert not user.totpdevice_set.exists()
    advisor.refresh_from_db()
    assert (advisor.contract_start, advisor.contract_end) == (None, None)
    assert advisor.kind and advisor.home_commune_id  # kept for statistics
    repr_line = LogEntry.objects.get(object_id=str(user.pk), content_type__model="user")
    assert repr_line.object_repr == PURGED_REPR


def test_a_second_run_finds_nothing_due(planted):
    first = purge_run()
    second = purge_run()
    assert first.total >= len(_rules_with_makers())
    assert second.total == 0


def test_each_purged_category_leaves_a_proof_in_the_journal_and_a_run(planted):
    report = purge_run(today=timezone.localdate())
    proofs = JournalEntry.objects.filter(action=JournalAction.PURGE)
    purged = {r.rule.category: r.count for r in report.results if r.count}
    assert {p.details["category"]: p.details["count"] for p in proofs} == purged
    proof = proofs.get(subject_id="staff_accounts")
    assert proof.actor_role == "system"
    assert proof.details["date"] == timezone.localdate().isoformat()
    assert proof.details["run"] == report.run.pk
    run = PurgeRun.objects.get()
    assert run.total == report.total
    assert run.counts == {r.rule.category: r.count for r in report.results}
    assert run.finished_at is not None and run.ok
    assert journal_verify().ok


def _row_count() -> int:
    return sum(rule.model_class.objects.count() for rule in registry.rules())


def test_dry_run_changes_nothing_and_says_what_would_happen(planted):
    before = _row_count()
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    text = out.getvalue()
    # The account of the due row of each category whose term follows the account's.
    assert "staff_accounts (accounts.User, anonymisation après 12 mois) : 4 à purger" in text
    assert "Rien n'a été modifié." in text
    assert not JournalEntry.objects.exists()
    assert not PurgeRun.objects.exists()
    assert _row_count() == before
    assert User.objects.filter(first_name__startswith=CANARY).exists()


def test_the_reference_date_decides_what_is_due(db):
    user = UserFactory(is_active=False, last_login=timezone.make_aware(dt.datetime(2024, 3, 10)))
    assert purge_run(today=dt.date(2025, 3, 10), dry_run=True).total == 0
    out = StringIO()
    call_command("purge", "--today", "2025-03-11", stdout=out)
    assert "Purge du 11/03/2025" in out.getvalue()
    user.refresh_from_db()
    assert user.email.endswith(ANONYMOUS_EMAIL_DOMAIN)


def test_an_active_account_is_never_purged_however_old(db):
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(last_login=_long_ago(), date_joined=_long_ago())
    purge_run()
    user.refresh_from_db()
    assert not user.email.endswith(ANONYMOUS_EMAIL_DOMAIN)


def test_a_failing_category_is_reported_and_the_others_still_run(planted, monkeypatch):
    from relais.privacy import services

    real_apply = services._apply

    def apply(rule, pks):
        if rule.category == "sessions":
            raise RuntimeError("disque plein, a@exemple.test")
        real_apply(rule, pks)

    monkeypatch.setattr(services, "_apply", apply)
    report = purge_run()
    assert report.errors == ["sessions : RuntimeError"]  # no database message (may hold data)
    assert Session.objects.filter(session_key="canary-due").exists()
    assert not User.objects.filter(first_name__startswith=CANARY).exists()
    assert PurgeRun.objects.get().errors == ["sessions : RuntimeError"]
    assert not JournalEntry.objects.filter(subject_id="sessions").exists()
    monkeypatch.setattr(services, "_apply", apply)
    with pytest.raises(CommandError, match="1 catégorie"):
        call_command("purge", stdout=StringIO())


def test_the_command_rejects_a_malformed_date(db):
    with pytest.raises(Exception, match="AAAA-MM-JJ"):
        call_command("purge", "--today", "11/03/2025")
